using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// The authorization code flow with PKCE, as Microsoft's stock OpenID Connect handler runs it
/// against Tessera: discovery, the authorization request, sign-in and consent pages, the code
/// redeemed with the client secret, the ID token validated, userinfo fetched (OIDC Core §3.1, §5.3).
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class SignInTests(ProviderFixture fixture, ITestOutputHelper output) : ProviderTest(fixture, output)
{
    [Fact]
    public async Task TheStockRelyingPartySignsInThroughTesseraWithSignInAndConsentPages()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("rp");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);

        await pages.Page.GotoAsync(Fixture.Shop.Address.ToString());
        await pages.SignInAsync(user);
        await pages.ConsentAsync(Fixture.Shop.Client);
        await pages.ExpectSignedInAtAsync(Fixture.Shop, user);

        string sub = await pages.ClaimAsync("sub");
        string sid = await pages.ClaimAsync("sid");
        Assert.False(string.IsNullOrEmpty(sub));
        Assert.False(string.IsNullOrEmpty(sid));
        Assert.Equal(user.Username, await pages.ClaimAsync("preferred_username"));

        (string accessToken, string idToken, string refreshToken) = await pages.TokensAsync(Fixture.Shop);
        Assert.NotEmpty(idToken);
        Assert.NotEmpty(refreshToken); // offline_access was granted
        using JsonDocument userInfo = await UserInfoAsync(accessToken);
        Assert.Equal(sub, userInfo.RootElement.GetProperty("sub").GetString());
        Assert.Equal(user.Username, userInfo.RootElement.GetProperty("preferred_username").GetString());
    }

    [Fact]
    public async Task TheSignInIsATesseraSessionInTheDeviceListWithItsClient()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("devices");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(Fixture.Shop, user);
        string sid = await pages.ClaimAsync("sid");

        string cookie = await Fixture.TesseraCookieAsync(browser) ?? throw new InvalidOperationException("No Tessera session cookie in the browser.");
        using HttpResponseMessage response = await Fixture.ListSessionsAsync(cookie);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using JsonDocument list = JsonDocument.Parse(body);
        JsonElement[] sessions = [.. list.RootElement.GetProperty("sessions").EnumerateArray()];
        // Two sessions: the browser's own at Tessera (the SSO cookie) and the one the shop's code made.
        JsonElement shopSession = Assert.Single(sessions, s => s.GetProperty("id").GetString() == sid);
        Assert.Equal("token", shopSession.GetProperty("kind").GetString());
        Assert.Equal(Fixture.Shop.Client.ClientId, shopSession.GetProperty("clientId").GetString());
        Assert.Contains(sessions, s => s.GetProperty("current").GetBoolean() && s.GetProperty("kind").GetString() == "cookie");
    }

    private async Task<JsonDocument> UserInfoAsync(string accessToken)
    {
        using HttpResponseMessage response = await Fixture.UserInfoAsync(accessToken);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"userinfo: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
