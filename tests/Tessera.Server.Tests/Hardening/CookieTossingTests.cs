using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Hardening;

/// <summary>
/// Issue #14 finding 8: a sibling subdomain can plant a second credential cookie of the same name
/// (Domain=the parent); the server must not pick one of the two. Duplicates are refused, and the
/// refresh cookie is <c>__Host-</c>, which no other host can set.
/// </summary>
public sealed class CookieTossingTests : IDisposable
{
    private const string SessionCookie = "__Host-tessera-session";
    private const string AccessCookie = "__Host-tessera-at";
    private const string RefreshCookie = "__Host-tessera-rt";

    private readonly LogCapture _log = new();
    private readonly TestServerFactory _server;

    public CookieTossingTests() =>
        _server = new TestServerFactory(services: services => services.AddLogging(logging => logging.AddProvider(_log).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public void Dispose() => _server.Dispose();

    private async Task<(string Access, string Refresh)> TokenCookiesAsync(string username)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync(username);
        HttpResponseMessage signIn = await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username, password = Http.Password });
        return (Http.CookieValue(signIn.SetCookie(AccessCookie)!), Http.CookieValue(signIn.SetCookie(RefreshCookie)!));
    }

    private static HttpRequestMessage WithCookieHeader(HttpMethod method, string path, string cookieHeader)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookieHeader);
        return request;
    }

    [Fact]
    public async Task TwoRefreshCookiesAreRefusedWhicheverComesFirst()
    {
        (_, string victim) = await TokenCookiesAsync("victim");
        (_, string attacker) = await TokenCookiesAsync("attacker");
        HttpRequestMessage refresh = WithCookieHeader(HttpMethod.Post, "/auth/token/refresh", $"{RefreshCookie}={attacker}; {RefreshCookie}={victim}");
        refresh.Content = System.Net.Http.Json.JsonContent.Create(new { });

        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(refresh);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "duplicate_cookie");
        string everything = string.Join("\n", _log.Entries);
        Assert.Contains(_log.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains($"the cookie {RefreshCookie} came more than once", StringComparison.Ordinal));
        Assert.DoesNotContain(victim, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(attacker, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSessionCookiesAreRefusedRatherThanOneChosen()
    {
        HttpClient victim = _server.CreateBrowser();
        await victim.RegisterAsync("victim");
        string victimCookie = Http.CookieValue((await victim.PostJsonAsync("/auth/session", new { username = "victim", password = Http.Password })).SetCookie()!);
        HttpClient attacker = _server.CreateBrowser();
        await attacker.RegisterAsync("attacker");
        string attackerCookie = Http.CookieValue((await attacker.PostJsonAsync("/auth/session", new { username = "attacker", password = Http.Password })).SetCookie()!);

        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(WithCookieHeader(HttpMethod.Get, "/auth/me", $"{SessionCookie}={attackerCookie}; {SessionCookie}={victimCookie}"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "duplicate_cookie");
    }

    [Fact]
    public async Task ADifferentlyCasedCopyOfTheAccessCookieCountsAsADuplicate()
    {
        (string access, _) = await TokenCookiesAsync("alice");

        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(WithCookieHeader(HttpMethod.Get, "/auth/me", $"__host-tessera-AT={access}, {AccessCookie}={access}"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "duplicate_cookie");
    }

    [Fact]
    public async Task OtherCookiesMayRepeatAndOneOfEachCredentialPasses()
    {
        (string access, string refresh) = await TokenCookiesAsync("alice");

        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(WithCookieHeader(HttpMethod.Get, "/auth/me", $"theme=dark; {AccessCookie}={access}; theme=light; {RefreshCookie}={refresh}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheRefreshCookieIsHostOnlySoNoSiblingCanPlantOne()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage signIn = await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username = "alice", password = Http.Password });

        // RFC 6265bis §4.1.3.2: __Host- means Secure, Path=/ and no Domain, enforced by the browser.
        string refresh = signIn.SetCookie(RefreshCookie)!.ToLowerInvariant();
        Assert.Contains("path=/;", refresh + ";", StringComparison.Ordinal);
        Assert.Contains("secure", refresh, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", refresh, StringComparison.Ordinal);
        Assert.Null(signIn.SetCookie("__Secure-tessera-rt"));
    }
}
