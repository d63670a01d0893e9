using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// The access token Tessera issued to a relying party, presented to an API: Microsoft's stock
/// JwtBearer accepts it (discovery, JWKS, iss, aud, signature); Tessera's resource-server bearer
/// grants or refuses by the token's scope and the user's roles.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class ApiAccessTests(ProviderFixture fixture, ITestOutputHelper output) : ProviderTest(fixture, output)
{
    [Fact]
    public async Task MicrosoftsJwtBearerAcceptsTheRelyingPartysAccessToken()
    {
        (string sub, string accessToken) = await SignInAsync(Fixture.Shop, await Fixture.RegisterUserAsync("jwt"));

        using HttpResponseMessage response = await CallAsync("microsoft", accessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sub, await response.Content.ReadAsStringAsync());
        using HttpResponseMessage anonymous = await CallAsync("microsoft", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task RequireScopeAcceptsTheClientGrantedTheApiScopeAndRefusesTheOther()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("scope");
        (string sub, string shopToken) = await SignInAsync(Fixture.Shop, user);
        (_, string wikiToken) = await SignInAsync(Fixture.Wiki, user);

        using HttpResponseMessage granted = await CallAsync("orders", shopToken);
        using HttpResponseMessage refused = await CallAsync("orders", wikiToken);

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(sub, await granted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task RequireRoleAcceptsAUserWithTheRoleAndRefusesOneWithout()
    {
        RegisteredUser auditor = await Fixture.RegisterUserAsync("auditor");
        await Fixture.AssignRolesAsync(auditor, ProtectedApi.ApiRole);
        RegisteredUser clerk = await Fixture.RegisterUserAsync("clerk");
        (string auditorSub, string auditorToken) = await SignInAsync(Fixture.Shop, auditor);
        (_, string clerkToken) = await SignInAsync(Fixture.Shop, clerk);

        using HttpResponseMessage granted = await CallAsync("audit", auditorToken);
        using HttpResponseMessage refused = await CallAsync("audit", clerkToken);

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(auditorSub, await granted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>Signs <paramref name="user"/> in at <paramref name="relyingParty"/> in a fresh browser; their sub and the saved access token.</summary>
    private async Task<(string Sub, string AccessToken)> SignInAsync(RegisteredRelyingParty relyingParty, RegisteredUser user)
    {
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(relyingParty, user);
        string sub = await pages.ClaimAsync("sub");
        (string accessToken, _, _) = await pages.TokensAsync(relyingParty);
        return (sub, accessToken);
    }

    private async Task<HttpResponseMessage> CallAsync(string path, string? accessToken)
    {
        using var http = new HttpClient { BaseAddress = Fixture.Api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await http.SendAsync(request);
    }
}
