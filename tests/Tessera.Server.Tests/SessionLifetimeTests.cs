using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests;

public sealed class SessionLifetimeTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task MeWithoutACookieIsUnauthenticated()
    {
        HttpResponseMessage response = await _server.CreateBrowser().GetAsync("/auth/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        // RFC 6750 §3 (#12): /auth/me accepts bearer tokens too, so the 401 names both schemes.
        Assert.Equal("Cookie realm=\"Tessera\", cookie-name=\"__Host-tessera-session\", Bearer realm=\"Tessera\", DPoP realm=\"Tessera\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task MeAnswersTheUserAndTheCurrentSession()
    {
        HttpClient browser = _server.CreateBrowser();
        JsonElement signedIn = await browser.RegisterAndSignInAsync("alice");

        JsonElement me = await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync();

        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(signedIn.GetProperty("session").GetProperty("id").GetString(), me.GetProperty("session").GetProperty("id").GetString());
        Assert.True(me.GetProperty("session").GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task SignOutRevokesTheSessionAndClearsTheCookie()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        HttpResponseMessage response = await browser.DeleteAsync("/auth/session");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        string cleared = response.SetCookie()!;
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        await (await browser.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task SignedOutCookieIsRefusedOnReplay()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).SetCookie()!);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/auth/session")).StatusCode);

        HttpClient replayer = _server.CreateBareClient();
        HttpResponseMessage me = await replayer.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie));
        HttpResponseMessage cart = await replayer.SendAsync(Http.WithCookie(HttpMethod.Get, "/shop/cart", cookie));
        HttpResponseMessage signOutAgain = await replayer.SendAsync(Http.WithCookie(HttpMethod.Delete, "/auth/session", cookie));

        await me.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await cart.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await signOutAgain.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Contains("expires=Thu, 01 Jan 1970", me.SetCookie()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SessionExpiresAfterThirtyIdleMinutes()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).SetCookie()!);
        _server.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await _server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).StatusCode);

        _server.Time.Advance(TimeSpan.FromMinutes(30));
        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
        Assert.Contains("expires=Thu, 01 Jan 1970", response.SetCookie()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ActivityKeepsTheSessionAliveButNotPastTwelveHours()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        for (int i = 0; i < 35; i++)
        {
            _server.Time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);
        }

        _server.Time.Advance(TimeSpan.FromMinutes(20));

        await (await browser.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public async Task LastSeenIsWrittenAtMostOncePerMinute()
    {
        HttpClient browser = _server.CreateBrowser();
        JsonElement signedIn = await browser.RegisterAndSignInAsync("alice");
        DateTimeOffset signedInAt = signedIn.GetProperty("session").GetProperty("lastSeenAt").GetDateTimeOffset();

        _server.Time.Advance(TimeSpan.FromSeconds(30));
        await browser.GetAsync("/auth/me");
        DateTimeOffset afterThirtySeconds = (await (await browser.GetAsync("/auth/me")).JsonAsync()).GetProperty("session").GetProperty("lastSeenAt").GetDateTimeOffset();
        _server.Time.Advance(TimeSpan.FromSeconds(31));
        await browser.GetAsync("/auth/me");
        DateTimeOffset afterOneMinute = (await (await browser.GetAsync("/auth/sessions")).JsonAsync()).GetProperty("sessions")[0].GetProperty("lastSeenAt").GetDateTimeOffset();

        Assert.Equal(signedInAt, afterThirtySeconds);
        Assert.Equal(_server.Time.GetUtcNow(), afterOneMinute);
    }

    [Fact]
    public async Task MalformedCookieIsUnauthenticated()
    {
        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", "not-a-session"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
