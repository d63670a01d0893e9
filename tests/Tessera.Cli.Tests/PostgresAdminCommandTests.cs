using System.Text.Json;
using Tessera.Audit;
using Tessera.Cli.Stores;
using Tessera.Cli.Tests.Support;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.Cli.Tests;

/// <summary>The administration commands against a real PostgreSQL database migrated as the server does.</summary>
public sealed class PostgresAdminCommandTests(PostgresServer cluster) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly SessionClient Client = new("198.51.100.7", "curl/8.5.0");

    private string _connectionString = null!;
    private PostgresDatabase _database = null!;
    private SessionService _sessions = null!;
    private PostgresUserStore _users = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync();
        _database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = _connectionString });
        await _database.MigrateAsync(TesseraPostgresSchema.Migrations, default);
        _users = new PostgresUserStore(_database);
        _sessions = new SessionService(new PostgresSessionStore(_database), new TesseraSessionOptions(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await cluster.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task ListDisableAndSessionEndWorkOnPostgres()
    {
        string alice = await AddUserAsync("alice");
        string bob = await AddUserAsync("bob");
        IssuedSession aliceSession = await _sessions.CreateAsync(alice, Client, default);
        IssuedSession[] bobSessions = [await _sessions.CreateAsync(bob, Client, default), await _sessions.CreateAsync(bob, Client, default)];

        JsonElement list = (await CliRunner.SucceedAsync("user", "list", "--json", "--postgres", _connectionString)).Json();
        JsonElement disabled = (await CliRunner.SucceedAsync("user", "disable", "alice", "--json", "--postgres", _connectionString)).Json();
        string ended = (await CliRunner.SucceedAsync("session", "end", "--postgres", _connectionString, "--", "bob", bobSessions[0].Session.Handle)).Stdout;
        JsonElement audit = (await CliRunner.SucceedAsync("audit", "list", "--json", "--postgres", _connectionString)).Json();

        Assert.Equal(["alice", "bob"], list.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        Assert.NotNull((await _users.FindByIdAsync(alice, default))!.DisabledAt);
        Assert.False((await _sessions.ValidateAsync(aliceSession.Secret, Client, default)).Succeeded);
        Assert.Equal(RevocationReasons.AccountDisabled, (await _sessions.FindByHandleAsync(aliceSession.Session.Handle, alice, SessionKinds.Cookie, default))!.RevocationReason);
        Assert.Equal("Ended 1 session of 'bob'.\n", ended);
        Assert.False((await _sessions.ValidateAsync(bobSessions[0].Secret, Client, default)).Succeeded);
        Assert.True((await _sessions.ValidateAsync(bobSessions[1].Secret, Client, default)).Succeeded);
        Assert.Equal(
            [("cli", bob, "user.session.end by operator"), ("cli", alice, "user.disable by operator")],
            audit.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("actorId").GetString(), e.GetProperty("userId").GetString(), e.GetProperty("detail").GetString())));
    }

    [Fact]
    public async Task DeleteFreesTheNameOnPostgres()
    {
        string carol = await AddUserAsync("carol");

        await CliRunner.SucceedAsync("user", "delete", "carol", "--yes", "--postgres", _connectionString);

        Assert.Null(await _users.FindByIdAsync(carol, default));
        Assert.NotEqual(carol, await AddUserAsync("carol"));
        CliRunner.AssertFailure(await CliRunner.RunAsync("user", "show", "--postgres", _connectionString, "--", carol), "user_not_found");
    }

    private async Task<string> AddUserAsync(string username)
    {
        var user = new UserRecord
        {
            Id = RandomIds.New128(),
            Username = username,
            NormalizedUsername = UsernameRules.Normalize(username),
            PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        Assert.True(await _users.TryCreateAsync(user, default));
        return user.Id;
    }
}
