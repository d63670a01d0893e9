using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary>A user's sessions through the admin API: listed with device, address and kind; ended one at a time or all.</summary>
public sealed class AdminSessionApiTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AUsersSessionsAreListedWithDeviceAddressKindAndClient()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient browser = _server.CreateBrowser("198.51.100.7", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0");
        string alice = await browser.RegisterIdAsync("alice");
        JsonElement cookieSession = (await browser.SignInAsync("alice")).GetProperty("session");
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        JsonElement pair = await _server.CreateBareClient("203.0.113.9").SignInForTokensAsync("alice");

        JsonElement[] sessions = [.. (await admin.GetAsync($"/admin/users/{alice}/sessions").OkAsync()).GetProperty("sessions").EnumerateArray()];

        Assert.Equal([pair.SessionId(), cookieSession.GetProperty("id").GetString()!], sessions.Select(s => s.GetProperty("id").GetString()!).ToArray());
        JsonElement web = sessions[1];
        Assert.Equal("198.51.100.7", web.GetProperty("ip").GetString());
        Assert.Equal("Firefox on Windows", web.GetProperty("device").GetString());
        Assert.Equal("cookie", web.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, web.GetProperty("clientId").ValueKind);
        Assert.False(web.GetProperty("current").GetBoolean());
        Assert.Equal(cookieSession.GetProperty("absoluteExpiresAt").GetDateTimeOffset(), web.GetProperty("absoluteExpiresAt").GetDateTimeOffset());
        Assert.Equal("token", sessions[0].GetProperty("kind").GetString());
        Assert.Equal(_server.Time.GetUtcNow(), sessions[0].GetProperty("lastSeenAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task EndingOneSessionRefusesItsTokensAndKeepsTheOthers()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        JsonElement phone = await app.SignInForTokensAsync("alice");
        JsonElement laptop = await app.SignInForTokensAsync("alice");

        await admin.DeleteAsync($"/admin/users/{alice}/sessions/{phone.SessionId()}").AssertNoContentAsync();

        await (await app.GetWithBearerAsync("/auth/me", phone.Access())).AssertBearerRefusedAsync("session_revoked");
        await (await app.RefreshAsync(phone.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await app.GetWithBearerAsync("/auth/me", laptop.Access())).AssertOkJsonAsync();
        await (await admin.DeleteAsync($"/admin/users/{alice}/sessions/{phone.SessionId()}")).AssertProblemAsync(HttpStatusCode.NotFound, TesseraErrorCodes.SessionNotFound);
    }

    [Fact]
    public async Task ASessionOfAnotherUserIsNotFoundUnderThisOne()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        await app.RegisterAsync("bob");
        JsonElement bobs = await app.SignInForTokensAsync("bob");

        await (await admin.DeleteAsync($"/admin/users/{alice}/sessions/{bobs.SessionId()}")).AssertProblemAsync(HttpStatusCode.NotFound, TesseraErrorCodes.SessionNotFound);

        await (await app.GetWithBearerAsync("/auth/me", bobs.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task EndingAllSessionsSaysHowManyEnded()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        JsonElement one = await app.SignInForTokensAsync("alice");
        await app.SignInForTokensAsync("alice");

        JsonElement ended = await admin.DeleteAsync($"/admin/users/{alice}/sessions").OkAsync();

        Assert.Equal(2, ended.GetProperty("ended").GetInt32());
        await (await app.RefreshAsync(one.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Empty((await admin.GetAsync($"/admin/users/{alice}/sessions").OkAsync()).GetProperty("sessions").EnumerateArray());
        // The admin's own session is not among them.
        await (await admin.GetAsync("/admin/users")).AssertOkJsonAsync();
    }
}
