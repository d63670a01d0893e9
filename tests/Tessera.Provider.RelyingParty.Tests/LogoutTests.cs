using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the stock handler's SignOutAsync
/// sends the browser to Tessera's end_session_endpoint with id_token_hint and
/// post_logout_redirect_uri; Tessera ends its session and sends the browser back.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class LogoutTests(ProviderFixture fixture, ITestOutputHelper output) : ProviderTest(fixture, output)
{
    [Fact]
    public async Task SigningOutAtTheRelyingPartyEndsTheTesseraSession()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("logout");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(Fixture.Shop, user);
        string tesseraCookie = await Fixture.TesseraCookieAsync(browser) ?? throw new InvalidOperationException("No Tessera session cookie in the browser.");
        (string accessToken, _, string refreshToken) = await pages.TokensAsync(Fixture.Shop);
        // Until the logout, the shop's refresh token works (and rotates).
        string rotated;
        using (HttpResponseMessage before = await RefreshAsync(refreshToken))
        {
            string answer = await before.Content.ReadAsStringAsync();
            Assert.True(before.StatusCode == HttpStatusCode.OK, answer);
            rotated = JsonDocument.Parse(answer).RootElement.GetProperty("refresh_token").GetString()!;
        }

        pages.ResetHistory();
        await pages.Page.GotoAsync(Fixture.Shop.Address.ToString());
        await pages.Page.Locator("#logout").ClickAsync();
        await pages.ConfirmLogoutIfAskedAsync(new Uri(Fixture.Shop.Address, "signed-out"));
        Assert.True(pages.Visited("/oauth2/logout"), pages.History());

        // Tessera's browser session is over: the old cookie no longer lists sessions…
        using HttpResponseMessage sessions = await Fixture.ListSessionsAsync(tesseraCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, sessions.StatusCode);
        // …the shop's session is over too: its refresh token is refused (RFC 6749 §5.2 invalid_grant),
        // its access token no longer reads userinfo…
        using HttpResponseMessage refreshed = await RefreshAsync(rotated);
        string body = await refreshed.Content.ReadAsStringAsync();
        Assert.True(refreshed.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("invalid_grant", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        using HttpResponseMessage userInfo = await Fixture.UserInfoAsync(accessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        // …and the protected page asks for the password again.
        await pages.Page.GotoAsync(Fixture.Shop.Address.ToString());
        await pages.ExpectSignInPageAsync();
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                // client_secret_post, as the shop is registered (RFC 6749 §2.3.1).
                ["client_id"] = Fixture.Shop.Client.ClientId,
                ["client_secret"] = Fixture.Shop.Client.Secret,
            }),
        };
        return await Fixture.Http.SendAsync(request);
    }
}
