using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tessera.Server.BrowserConsole;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Console;

/// <summary>The cookie mode's token debugger: header and payload of the access-token cookie, never the signature.</summary>
public sealed class AccessTokenPartsTests : IDisposable
{
    // The host runs as Production, where the console is off unless enabled.
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheAccessTokenCookiesHeaderAndPayloadAreDecodedButNotItsSignature()
    {
        HttpClient browser = _server.CreateBrowser();
        HttpResponseMessage signIn = await browser.RegisterAndSignInWithTokenCookiesAsync("alice");
        string sessionId = (await signIn.AssertOkJsonAsync()).SessionId();
        string token = Http.CookieValue(signIn.SetCookie("__Host-tessera-at")!);

        HttpResponseMessage response = await browser.GetAsync(ConsoleEndpoints.AccessTokenPath);

        JsonElement parts = await response.AssertOkJsonAsync();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(TokenHttp.Part(token, 0).GetRawText(), parts.GetProperty("header").GetRawText());
        Assert.Equal(TokenHttp.Part(token, 1).GetRawText(), parts.GetProperty("payload").GetRawText());
        Assert.Equal("at+jwt", parts.GetProperty("header").GetProperty("typ").GetString());
        Assert.Equal(sessionId, parts.GetProperty("payload").GetProperty("sid").GetString());
        Assert.Equal(64, parts.GetProperty("signatureBytes").GetInt32()); // ES256: r and s, 32 bytes each
        Assert.DoesNotContain(token.Split('.')[2], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutSigningInItIsRefused()
    {
        await (await _server.CreateBrowser().GetAsync(ConsoleEndpoints.AccessTokenPath)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ASessionCookieOrABearerHeaderHasNoCookieTokenToShow()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("bob");
        await (await browser.GetAsync(ConsoleEndpoints.AccessTokenPath)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        JsonElement pair = await browser.SignInForTokensAsync("bob");
        var request = new HttpRequestMessage(HttpMethod.Get, ConsoleEndpoints.AccessTokenPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.Access());
        await (await browser.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
