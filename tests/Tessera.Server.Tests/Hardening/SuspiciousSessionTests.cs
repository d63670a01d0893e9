using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Sessions;

namespace Tessera.Server.Tests.Hardening;

/// <summary>
/// Issue #14 finding 10: a session id the server never issued (a cookie or a token's sid that is
/// well formed but unknown) is logged as suspicious, with the client's address, never the secret;
/// an expired or revoked one is not.
/// </summary>
public sealed class SuspiciousSessionTests : IDisposable
{
    private const string Suspicious = "Suspicious:";
    private const string ClientIp = "198.51.100.7";

    private readonly LogCapture _log = new();
    private readonly TestServerFactory _server;

    public SuspiciousSessionTests() =>
        _server = new TestServerFactory(services: services => services.AddLogging(logging => logging.AddProvider(_log).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public void Dispose() => _server.Dispose();

    private IEnumerable<string> Warnings => _log.Entries.Where(e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains(Suspicious, StringComparison.Ordinal));

    [Fact]
    public async Task AWellFormedCookieNamingNoSessionIsLoggedWithTheClientAddressButNotTheCookie()
    {
        string forged = new('A', 43);

        HttpResponseMessage response = await _server.CreateBareClient(ClientIp).SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", forged));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string warning = Assert.Single(Warnings);
        Assert.Contains("session cookie names a session this server never issued", warning, StringComparison.Ordinal);
        Assert.Contains(ClientIp, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(forged, string.Join("\n", _log.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedSessionsCookieIsNotSuspicious()
    {
        HttpClient browser = _server.CreateBrowser(ClientIp);
        await browser.RegisterAsync("alice");
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).SetCookie()!);
        await browser.DeleteAsync("/auth/session");

        HttpResponseMessage replay = await _server.CreateBareClient(ClientIp).SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie));

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task AnAccessTokenWhoseSessionTheStoreDoesNotHoldIsLogged()
    {
        HttpClient client = _server.CreateBareClient(ClientIp);
        await client.RegisterAsync("alice");
        HttpResponseMessage signIn = await client.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password });
        System.Text.Json.JsonElement tokens = await signIn.AssertOkJsonAsync();
        string access = tokens.GetProperty("access_token").GetString()!;
        // The session disappears from the store (as one the server never issued would be absent).
        await _server.Services.GetRequiredService<SessionService>().RevokeAsync(tokens.GetProperty("session_id").GetString()!, RevocationReasons.SignedOut, default);
        await ((ISessionCleanup)_server.Services.GetRequiredService<ISessionStore>()).PurgeAsync(_server.Time.GetUtcNow().AddDays(365), default);

        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string warning = Assert.Single(Warnings);
        Assert.Contains("access token names a session this server never issued", warning, StringComparison.Ordinal);
        Assert.Contains(ClientIp, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(access, string.Join("\n", _log.Entries), StringComparison.Ordinal);
    }
}
