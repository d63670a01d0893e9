using System.Net;

namespace Tessera.Server.Tests.Hardening;

/// <summary>
/// Issue #14 finding 10: sign-out in token-cookie mode leaves the token cookies in the browser, and
/// no sign-out answer carries Clear-Site-Data.
/// </summary>
public sealed class SignOutClearsBrowserTests : IDisposable
{
    private const string AccessCookie = "__Host-tessera-at";
    private const string RefreshCookie = "__Host-tessera-rt";
    private const string ClearSiteData = "\"storage\"";

    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private static string ClearSiteDataOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Clear-Site-Data", out IEnumerable<string>? values) ? string.Join(", ", values) : "(none)";

    private static void AssertDeleted(HttpResponseMessage response, string name)
    {
        string? setCookie = response.SetCookie(name);
        Assert.NotNull(setCookie);
        Assert.Contains("expires=Thu, 01 Jan 1970 00:00:00 GMT", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", setCookie + ";", StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningOutOfATokenCookieSessionDeletesBothTokenCookies()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        await (await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username = "alice", password = Http.Password })).AssertOkJsonAsync();

        HttpResponseMessage signOut = await browser.DeleteAsync("/auth/session");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        AssertDeleted(signOut, AccessCookie);
        AssertDeleted(signOut, RefreshCookie);
        Assert.Equal(ClearSiteData, ClearSiteDataOf(signOut));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SigningOutOfACookieSessionAsksTheBrowserToClearTheSitesData()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        HttpResponseMessage signOut = await browser.DeleteAsync("/auth/session");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(ClearSiteData, ClearSiteDataOf(signOut));
    }

    [Fact]
    public async Task RevokingWithTheBodysRefreshTokenStillDeletesTheAccessCookieTheBrowserSent()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        HttpResponseMessage signIn = await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username = "alice", password = Http.Password });
        string refresh = Http.CookieValue(signIn.SetCookie(RefreshCookie)!);

        HttpResponseMessage revoke = await browser.PostJsonAsync("/auth/token/revoke", new { refresh_token = refresh });

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        AssertDeleted(revoke, AccessCookie);
        AssertDeleted(revoke, RefreshCookie);
        Assert.Equal(ClearSiteData, ClearSiteDataOf(revoke));
    }
}
