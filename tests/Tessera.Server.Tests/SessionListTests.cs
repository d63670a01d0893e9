using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests;

public sealed class SessionListTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ListShowsEveryActiveSessionWithTheCurrentOneMarked()
    {
        HttpClient laptop = _server.CreateBrowser("198.51.100.7", "Laptop/1.0");
        HttpClient phone = _server.CreateBrowser("203.0.113.9", "Phone/2.0");
        await laptop.RegisterAndSignInAsync("alice");
        _server.Time.Advance(TimeSpan.FromSeconds(10));
        JsonElement phoneSession = (await phone.SignInAsync("alice")).GetProperty("session");

        JsonElement sessions = (await (await phone.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");

        Assert.Equal(2, sessions.GetArrayLength());
        JsonElement newest = sessions[0];
        Assert.Equal(phoneSession.GetProperty("id").GetString(), newest.GetProperty("id").GetString());
        Assert.True(newest.GetProperty("current").GetBoolean());
        Assert.Equal("203.0.113.9", newest.GetProperty("ip").GetString());
        Assert.Equal("Phone/2.0", newest.GetProperty("userAgent").GetString());
        Assert.False(sessions[1].GetProperty("current").GetBoolean());
        Assert.Equal("Laptop/1.0", sessions[1].GetProperty("userAgent").GetString());
        Assert.True(sessions[1].TryGetProperty("createdAt", out _));
        Assert.True(sessions[1].TryGetProperty("lastSeenAt", out _));
    }

    [Fact]
    public async Task EndingAnotherSessionSignsThatDeviceOut()
    {
        HttpClient laptop = _server.CreateBrowser();
        HttpClient phone = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        string phoneSession = (await phone.SignInAsync("alice")).GetProperty("session").GetProperty("id").GetString()!;

        HttpResponseMessage response = await laptop.DeleteAsync($"/auth/sessions/{phoneSession}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await phone.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/auth/me")).StatusCode);
        Assert.Equal(1, (await (await laptop.GetAsync("/auth/sessions")).JsonAsync()).GetProperty("sessions").GetArrayLength());
    }

    [Fact]
    public async Task SomeoneElsesSessionCannotBeEnded()
    {
        HttpClient alice = _server.CreateBrowser();
        HttpClient bob = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        string bobsSession = (await bob.RegisterAndSignInAsync("bob")).GetProperty("session").GetProperty("id").GetString()!;

        HttpResponseMessage response = await alice.DeleteAsync($"/auth/sessions/{bobsSession}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task EndingTheCurrentSessionByIdClearsTheCookie()
    {
        HttpClient browser = _server.CreateBrowser();
        string current = (await browser.RegisterAndSignInAsync("alice")).GetProperty("session").GetProperty("id").GetString()!;

        HttpResponseMessage response = await browser.DeleteAsync($"/auth/sessions/{current}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", response.SetCookie()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LogOutOtherDevicesKeepsOnlyTheCurrentSession()
    {
        HttpClient laptop = _server.CreateBrowser();
        HttpClient phone = _server.CreateBrowser();
        HttpClient tablet = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        await phone.SignInAsync("alice");
        await tablet.SignInAsync("alice");

        HttpResponseMessage response = await laptop.DeleteAsync("/auth/sessions?others=true");

        Assert.Equal(2, (await response.AssertOkJsonAsync()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/auth/me")).StatusCode);
        await (await phone.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await tablet.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task LogOutEverywhereEndsTheCurrentSessionToo()
    {
        HttpClient laptop = _server.CreateBrowser();
        HttpClient phone = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        await phone.SignInAsync("alice");

        HttpResponseMessage response = await laptop.DeleteAsync("/auth/sessions");

        Assert.Equal(2, (await response.AssertOkJsonAsync()).GetProperty("revoked").GetInt32());
        await (await laptop.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await phone.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task ListNeedsASession()
    {
        await (await _server.CreateBrowser().GetAsync("/auth/sessions")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ListNamesTheBrowserAndSystemNextToTheRawAgent()
    {
        const string firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        HttpClient laptop = _server.CreateBrowser(userAgent: firefox);
        HttpClient script = _server.CreateBrowser(userAgent: "Laptop/1.0");
        await laptop.RegisterAndSignInAsync("alice");
        await script.SignInAsync("alice");

        JsonElement sessions = (await (await laptop.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");

        JsonElement fromFirefox = sessions.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean());
        JsonElement unknown = sessions.EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean());
        Assert.Equal(firefox, fromFirefox.GetProperty("userAgent").GetString());
        Assert.Equal("Firefox on Windows", fromFirefox.GetProperty("device").GetString());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("device").ValueKind);
    }
}
