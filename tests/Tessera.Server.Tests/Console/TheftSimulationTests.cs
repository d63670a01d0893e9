using System.Net;
using System.Text.Json;
using Tessera.Server.BrowserConsole;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Console;

/// <summary>
/// The console's stolen-refresh-cookie simulation: the "thief" uses the browser's refresh cookie
/// first, the browser's own refresh then presents a used-up token and the session is revoked.
/// </summary>
public sealed class TheftSimulationTests : IDisposable
{
    // The host runs as Production, where the console is off unless enabled.
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    private async Task<HttpClient> SignedInWithTokenCookiesAsync(string username)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInWithTokenCookiesAsync(username);
        return browser;
    }

    [Fact]
    public async Task AfterTheTheftTheBrowsersNextRefreshIsReuseAndTheSessionIsRevoked()
    {
        HttpClient browser = await SignedInWithTokenCookiesAsync("alice");

        HttpResponseMessage theft = await browser.PostAsync(ConsoleEndpoints.TheftPath, null);

        JsonElement body = await theft.AssertOkJsonAsync();
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.Null(theft.SetCookie("__Host-tessera-at"));
        Assert.Null(theft.SetCookie("__Host-tessera-rt"));
        Assert.Equal("no-store", theft.Headers.CacheControl?.ToString());
        _server.Time.Advance(TimeSpan.FromSeconds(6)); // past the grace window
        await (await browser.PostJsonAsync("/auth/token/refresh", new { })).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        Sessions.SessionRecord session = await _server.StoredSessionAsync(body.GetProperty("sessionId").GetString()!);
        Assert.NotNull(session.RevokedAt);
        Assert.Equal(Sessions.RevocationReasons.RefreshTokenReused, session.RevocationReason);
    }

    [Fact]
    public async Task WithoutARefreshCookieThereIsNothingToSteal()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("bob");

        JsonElement problem = await (await browser.PostAsync(ConsoleEndpoints.TheftPath, null)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task AnUnknownRefreshCookieIsRefused()
    {
        HttpClient client = _server.CreateBareClient();

        HttpResponseMessage response = await client.SendAsync(Http.WithCookie(HttpMethod.Post, ConsoleEndpoints.TheftPath, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "__Host-tessera-rt"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_grant");
    }

    [Fact]
    public async Task ACrossSiteTheftRequestIsRefused()
    {
        HttpClient browser = await SignedInWithTokenCookiesAsync("carol");
        var request = new HttpRequestMessage(HttpMethod.Post, ConsoleEndpoints.TheftPath);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        await (await browser.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
        await (await browser.PostJsonAsync("/auth/token/refresh", new { })).AssertOkJsonAsync();
    }
}
