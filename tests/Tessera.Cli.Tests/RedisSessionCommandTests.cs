using Tessera.Cli.Tests.Support;
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

    private RedisSessions _setup = null!;

    public async Task InitializeAsync() => _setup = await RedisSessions.CreateAsync(redis.Configuration, cluster: false);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task SessionsInRedisAreListedAndEnded()
    {
        string id = await _setup.Data.AddUserAsync("alice");
        IssuedSession first = await _setup.Sessions.CreateAsync(id, Client, default);
        IssuedSession second = await _setup.Sessions.CreateAsync(id, Client, default);

        string inFolder = (await CliRunner.SucceedAsync("session", "list", "alice", "--data", _setup.Data.Path)).Stdout;
        string inRedis = (await CliRunner.SucceedAsync("session", "list", "alice", "--data", _setup.Data.Path, "--redis", redis.Configuration, "--redis-prefix", _setup.Prefix)).Stdout;
        await CliRunner.SucceedAsync("session", "end", "--data", _setup.Data.Path, "--redis", redis.Configuration, "--redis-prefix", _setup.Prefix, "--", "alice", first.Session.Handle);

        Assert.Equal("'alice' has no active sessions.\n", inFolder);
        Assert.Contains(first.Session.Handle, inRedis, StringComparison.Ordinal);
        Assert.Contains("Safari on macOS", inRedis, StringComparison.Ordinal);
        Assert.False((await _setup.Sessions.ValidateAsync(first.Secret, Client, default)).Succeeded);
        Assert.True((await _setup.Sessions.ValidateAsync(second.Secret, Client, default)).Succeeded);
        Assert.True(await _setup.IsRevokedAsync(first.Session.Handle));
    }

    [Fact]
    public async Task DisableEndsTheSessionsInRedis()
    {
        string id = await _setup.Data.AddUserAsync("bob");
        IssuedSession session = await _setup.Sessions.CreateAsync(id, Client, default);

        await CliRunner.SucceedAsync("user", "disable", "bob", "--data", _setup.Data.Path, "--redis", redis.Configuration, "--redis-prefix", _setup.Prefix);

        Assert.False((await _setup.Sessions.ValidateAsync(session.Secret, Client, default)).Succeeded);
        Assert.Equal(RevocationReasons.AccountDisabled, (await _setup.Sessions.FindByHandleAsync(session.Session.Handle, id, SessionKinds.Cookie, default))!.RevocationReason);
        Assert.True(await _setup.IsRevokedAsync(session.Session.Handle));
    }
}
