using StackExchange.Redis;
using Tessera.Cli.Tests.Support;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Cli.Tests;

/// <summary>
/// A server with its users in the data folder and its sessions in Redis (<c>Tessera:SessionStore=redis</c>):
/// the session commands and <c>user disable</c> reach the sessions through <c>--redis</c>.
/// </summary>
public sealed class RedisSessionCommandTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly SessionClient Client = new("203.0.113.5", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15");

    private readonly string _prefix = $"cli{Guid.NewGuid():N}:";
    private ServerDataFolder _data = null!;
    private IConnectionMultiplexer _connection = null!;
    private SessionService _sessions = null!;

    public async Task InitializeAsync()
    {
        _data = await ServerDataFolder.CreateAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(redis.Configuration);
        _sessions = new SessionService(new RedisSessionStore(_connection, new RedisSessionStoreOptions { KeyPrefix = _prefix }, TimeProvider.System), new TesseraSessionOptions(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SessionsInRedisAreListedAndEnded()
    {
        string id = await _data.AddUserAsync("alice");
        IssuedSession first = await _sessions.CreateAsync(id, Client, default);
        IssuedSession second = await _sessions.CreateAsync(id, Client, default);

        string inFolder = (await CliRunner.SucceedAsync("session", "list", "alice", "--data", _data.Path)).Stdout;
        string inRedis = (await CliRunner.SucceedAsync("session", "list", "alice", "--data", _data.Path, "--redis", redis.Configuration, "--redis-prefix", _prefix)).Stdout;
        await CliRunner.SucceedAsync("session", "end", "--data", _data.Path, "--redis", redis.Configuration, "--redis-prefix", _prefix, "--", "alice", first.Session.Handle);

        Assert.Equal("'alice' has no active sessions.\n", inFolder);
        Assert.Contains(first.Session.Handle, inRedis, StringComparison.Ordinal);
        Assert.Contains("Safari on macOS", inRedis, StringComparison.Ordinal);
        Assert.False((await _sessions.ValidateAsync(first.Secret, Client, default)).Succeeded);
        Assert.True((await _sessions.ValidateAsync(second.Secret, Client, default)).Succeeded);
        Assert.True(await new RedisSessionRevocationList(_connection, _prefix).IsRevokedAsync(first.Session.Handle, default));
    }

    [Fact]
    public async Task DisableEndsTheSessionsInRedis()
    {
        string id = await _data.AddUserAsync("bob");
        IssuedSession session = await _sessions.CreateAsync(id, Client, default);

        await CliRunner.SucceedAsync("user", "disable", "bob", "--data", _data.Path, "--redis", redis.Configuration, "--redis-prefix", _prefix);

        Assert.False((await _sessions.ValidateAsync(session.Secret, Client, default)).Succeeded);
        Assert.Equal(RevocationReasons.AccountDisabled, (await _sessions.FindByHandleAsync(session.Session.Handle, id, SessionKinds.Cookie, default))!.RevocationReason);
        Assert.True(await new RedisSessionRevocationList(_connection, _prefix).IsRevokedAsync(session.Session.Handle, default));
    }
}
