using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.Server.Tests.Tokens;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class AuditEmissionTests : IDisposable
{
    private const string ClientIp = "198.51.100.7";
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Lockout:MaxFailedAttempts"] = "3" });

    public void Dispose() => _server.Dispose();

    private async Task<IReadOnlyList<AuditEvent>> EventsAsync(string? type = null) =>
        (await _server.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Type = type, Limit = 500 }, CancellationToken.None)).Events;

    private async Task<string> UserIdAsync(string username) =>
        (await _server.Services.GetRequiredService<IUserStore>().FindByNormalizedUsernameAsync(UsernameRules.Normalize(username), CancellationToken.None))!.Id;

    [Fact]
    public async Task RegistrationAndSignInsAreAuditedWithTheCallersAddress()
    {
        HttpClient client = _server.CreateBrowser(ClientIp);
        await client.RegisterAsync("alice");
        string alice = await UserIdAsync("alice");

        await client.SignInAsync("alice");
        await client.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong password" });
        await client.PostJsonAsync("/auth/session", new { username = "Not-A-User", password = "wrong password" });

        AuditEvent created = Assert.Single(await EventsAsync(AuditEventTypes.AccountCreated));
        Assert.Equal((alice, alice, ClientIp), (created.UserId, created.ActorId, created.Address));
        AuditEvent succeeded = Assert.Single(await EventsAsync(AuditEventTypes.SignInSucceeded));
        Assert.Equal((alice, alice, ClientIp, "ok"), (succeeded.UserId, succeeded.ActorId, succeeded.Address, succeeded.Outcome));

        IReadOnlyList<AuditEvent> failed = await EventsAsync(AuditEventTypes.SignInFailed);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, e => Assert.Equal(("invalid_credentials", ClientIp, (string?)null), (e.Outcome, e.Address, e.ActorId)));
        // A known account is named by id; an unknown name only by the lockout's digest, never written down.
        AuditEvent wrongPassword = failed[1];
        Assert.Equal(alice, wrongPassword.UserId);
        Assert.Null(wrongPassword.Detail);
        AuditEvent unknown = failed[0];
        Assert.Null(unknown.UserId);
        Assert.Equal(new PasswordLockout.Keys("not-a-user", "-").Account, unknown.Detail);
        Assert.DoesNotContain(await EventsAsync(), e => JsonSerializer.Serialize(e).Contains("not-a-user", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ALockoutIsAuditedOnceWhenItStarts()
    {
        HttpClient client = _server.CreateBrowser(ClientIp);
        await client.RegisterAsync("alice");
        string alice = await UserIdAsync("alice");

        for (int i = 0; i < 5; i++)
        {
            await client.PostJsonAsync("/auth/session", new { username = "alice", password = $"guess {i}" });
        }

        AuditEvent locked = Assert.Single(await EventsAsync(AuditEventTypes.LockedOut));
        Assert.Equal((alice, "client", ClientIp), (locked.UserId, locked.Outcome, locked.Address));
        Assert.Equal(new PasswordLockout.Keys("alice", "-").Account, locked.Detail);
    }

    [Fact]
    public async Task ReuseIsAuditedAndTheSessionEndedBySystem()
    {
        HttpClient client = _server.CreateBareClient(ClientIp);
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        string alice = await UserIdAsync("alice");
        await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(2));

        await (await client.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        AuditEvent reuse = Assert.Single(await EventsAsync(AuditEventTypes.RefreshTokenReused));
        Assert.Equal((AuditActors.System, alice, first.SessionId(), ClientIp), (reuse.ActorId, reuse.UserId, reuse.SessionId, reuse.Address));
        AuditEvent ended = Assert.Single(await EventsAsync(AuditEventTypes.SessionEnded));
        Assert.Equal((AuditActors.System, alice, first.SessionId(), "refresh_token_reused"), (ended.ActorId, ended.UserId, ended.SessionId, ended.Outcome));
    }

    [Fact]
    public async Task SigningOutAndChangingThePasswordAreAuditedWithTheUserAsActor()
    {
        HttpClient client = _server.CreateBrowser(ClientIp);
        await client.RegisterAsync("alice");
        string alice = await UserIdAsync("alice");
        HttpClient other = _server.CreateBrowser(ClientIp);
        await other.SignInAsync("alice");
        string session = (await client.SignInAsync("alice")).GetProperty("session").GetProperty("id").GetString()!;

        (await client.PostAsJsonAsync("/auth/password", new { currentPassword = Http.Password, newPassword = "a brand new passphrase" })).EnsureSuccessStatusCode();
        (await client.DeleteAsync("/auth/session")).EnsureSuccessStatusCode();

        AuditEvent changed = Assert.Single(await EventsAsync(AuditEventTypes.PasswordChanged));
        Assert.Equal((alice, alice, session), (changed.ActorId, changed.UserId, changed.SessionId));
        IReadOnlyList<AuditEvent> ended = await EventsAsync(AuditEventTypes.SessionEnded);
        Assert.Equal(2, ended.Count);
        Assert.Equal((alice, alice, session, "signed_out", ClientIp), (ended[0].ActorId, ended[0].UserId, ended[0].SessionId, ended[0].Outcome, ended[0].Address));
        Assert.Equal((alice, "password_changed", "1 sessions"), (ended[1].ActorId, ended[1].Outcome, ended[1].Detail));
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class FailingAuditLogTests : IDisposable
{
    private readonly LogCapture _logs = new();
    private readonly TelemetryCapture _telemetry = new();
    private readonly TestServerFactory _server;

    public FailingAuditLogTests() =>
        _server = new TestServerFactory(services: services =>
        {
            services.AddSingleton<IAuditLog, ThrowingAuditLog>();
            services.AddLogging(logging => logging.AddProvider(_logs));
        });

    public void Dispose()
    {
        _server.Dispose();
        _telemetry.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task AnAuditLogOutageDoesNotFailSignInButIsLoggedAndCounted()
    {
        HttpClient client = _server.CreateBrowser();
        await client.RegisterAsync("alice");

        await client.SignInAsync("alice");

        Assert.Equal(1, _telemetry.Sum("tessera.audit.failures", ("type", AuditEventTypes.SignInSucceeded)));
        Assert.Equal(1, _telemetry.Sum("tessera.signin.attempts", ("outcome", "succeeded")));
        Assert.Contains(_logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("Audit event signin.succeeded", StringComparison.Ordinal) && e.Contains(nameof(StoreUnavailableException), StringComparison.Ordinal));
    }

    private sealed class ThrowingAuditLog : IAuditLog
    {
        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
            throw new StoreUnavailableException("The audit store is down (test).");

        public ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken) =>
            throw new StoreUnavailableException("The audit store is down (test).");

        public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            throw new StoreUnavailableException("The audit store is down (test).");
    }
}
