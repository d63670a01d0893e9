using System.Net;
using System.Text.Json;
using Tessera.Audit;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary>Lock, unlock, disable, enable and delete through the admin API, and what each does to sign-in and sessions.</summary>
public sealed class AdminAccountApiTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task DisablingEndsEverySessionAndRefusesSignInUntilEnabled()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient browser = _server.CreateBrowser();
        string alice = await browser.RegisterIdAsync("alice");
        await browser.SignInAsync("alice");
        HttpClient app = _server.CreateBareClient();
        JsonElement pair = await app.SignInForTokensAsync("alice");

        JsonElement disabled = await admin.PostAsync($"/admin/users/{alice}/disable").OkAsync();

        Assert.Equal(_server.Time.GetUtcNow(), disabled.GetProperty("disabledAt").GetDateTimeOffset());
        await (await browser.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await app.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
        await (await app.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Equal(0, (await admin.GetAsync($"/admin/users/{alice}").OkAsync()).GetProperty("activeSessions").GetInt32());

        // The right password says "disabled"; a wrong one says what it says to anyone (no oracle).
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AccountDisabled);
        await (await app.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AccountDisabled);
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong horse battery" })).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);

        JsonElement enabled = await admin.PostAsync($"/admin/users/{alice}/enable").OkAsync();
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledAt").ValueKind);
        await app.SignInAsync("alice");
    }

    [Fact]
    public async Task ATimedLockRefusesSignInWithRetryAfterWhileSessionsGoOn()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        JsonElement pair = await app.SignInForTokensAsync("alice");
        DateTimeOffset until = _server.Time.GetUtcNow().AddMinutes(10);

        JsonElement locked = await admin.PostAsync($"/admin/users/{alice}/lock", new { until = until.ToString("O") }).OkAsync();

        Assert.Equal(until, locked.GetProperty("lockedUntil").GetDateTimeOffset());
        HttpResponseMessage refused = await app.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password });
        await refused.AssertProblemAsync(HttpStatusCode.Locked, TesseraErrorCodes.AccountLocked);
        Assert.Equal(TimeSpan.FromMinutes(10), refused.Headers.RetryAfter?.Delta);
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong horse battery" })).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);
        // A lock stops new sign-ins only: the session that exists goes on.
        await (await app.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        await (await app.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();

        _server.Time.Advance(TimeSpan.FromMinutes(10));
        await app.SignInAsync("alice");
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"/admin/users/{alice}").OkAsync()).GetProperty("lockedUntil").ValueKind);
    }

    [Fact]
    public async Task ALockWithoutEndLastsUntilUnlocked()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");

        JsonElement locked = await admin.PostAsync($"/admin/users/{alice}/lock", new { until = (string?)null }).OkAsync();

        Assert.Equal(DateTimeOffset.MaxValue, locked.GetProperty("lockedUntil").GetDateTimeOffset());
        _server.Time.Advance(TimeSpan.FromDays(400));
        HttpResponseMessage refused = await app.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        await refused.AssertProblemAsync(HttpStatusCode.Locked, TesseraErrorCodes.AccountLocked);
        Assert.Null(refused.Headers.RetryAfter);

        // The admin's own token expired meanwhile: a fresh sign-in.
        admin = admin with { Token = (await admin.Client.SignInForTokensAsync("root")).Access() };
        JsonElement unlocked = await admin.PostAsync($"/admin/users/{alice}/unlock").OkAsync();
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("lockedUntil").ValueKind);
        await app.SignInAsync("alice");
    }

    [Fact]
    public async Task UnlockAlsoLiftsTheAccountWideFailureCeiling()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:Lockout:MaxFailedAttempts"] = "3",
            ["Tessera:Lockout:AccountFailureLimit"] = "3",
        });
        AdminCaller admin = await server.AdminAsync();
        string alice = await server.CreateBareClient().RegisterIdAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            await (await server.CreateBareClient($"203.0.113.{i + 10}").PostJsonAsync("/auth/session", new { username = "alice", password = $"guess {i}" }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);
        }

        // Past the ceiling only a device alice signed in from may try: a new one is refused, right password or not.
        HttpClient newDevice = server.CreateBareClient("198.51.100.20");
        await (await newDevice.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);

        await admin.PostAsync($"/admin/users/{alice}/unlock").OkAsync();

        await newDevice.SignInAsync("alice");
    }

    [Theory]
    [InlineData("POST", "/lock")]
    [InlineData("POST", "/disable")]
    [InlineData("DELETE", "")]
    public async Task AnAdminCannotLockDisableOrDeleteThemself(string method, string suffix)
    {
        AdminCaller admin = await _server.AdminAsync();

        HttpResponseMessage response = await admin.SendAsync(new HttpMethod(method), $"/admin/users/{admin.Id}{suffix}");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, TesseraErrorCodes.AdminSelfAction);
        JsonElement self = await admin.GetAsync($"/admin/users/{admin.Id}").OkAsync();
        Assert.Equal(JsonValueKind.Null, self.GetProperty("disabledAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, self.GetProperty("lockedUntil").ValueKind);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2030-13-01T00:00:00Z")]
    [InlineData("2030-06-01T11:59:59Z")] // the test clock's now is 12:00: in the past
    public async Task ABadLockEndAnswers400(string until)
    {
        AdminCaller admin = await _server.AdminAsync();
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");

        JsonElement problem = await (await admin.PostAsync($"/admin/users/{alice}/lock", new { until })).AssertProblemAsync(HttpStatusCode.BadRequest, TesseraErrorCodes.ValidationFailed);

        Assert.True(problem.GetProperty("errors").TryGetProperty("until", out _));
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"/admin/users/{alice}").OkAsync()).GetProperty("lockedUntil").ValueKind);
    }

    [Fact]
    public async Task DeletingEndsTheSessionsFreesTheNameAndIsAudited()
    {
        AdminCaller admin = await _server.AdminAsync();
        HttpClient app = _server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        JsonElement pair = await app.SignInForTokensAsync("alice");

        await admin.DeleteAsync($"/admin/users/{alice}").AssertNoContentAsync();

        await (await admin.GetAsync($"/admin/users/{alice}")).AssertProblemAsync(HttpStatusCode.NotFound, TesseraErrorCodes.UserNotFound);
        await (await app.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
        await (await app.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);
        AuditEvent deleted = Assert.Single(await _server.AuditAsync(AuditEventTypes.AccountDeleted));
        Assert.Equal((admin.Id, alice), (deleted.ActorId, deleted.UserId));

        // The name is free: a new account, with a new id.
        Assert.NotEqual(alice, await app.RegisterIdAsync("alice"));
    }
}
