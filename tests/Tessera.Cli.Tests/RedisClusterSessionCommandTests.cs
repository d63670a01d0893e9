using StackExchange.Redis;
using Tessera.Cli.Tests.Support;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Cli.Tests;

/// <summary>
/// A server with its sessions on a Redis Cluster (<c>Tessera:Redis:Cluster=true</c>, key layout v2):
/// <c>--redis-cluster</c> makes the session commands read and end them in that layout.
/// </summary>
public sealed class RedisClusterSessionCommandTests(RedisCluster cluster) : IClassFixture<RedisCluster>, IAsyncLifetime
{
    private static readonly SessionClient Client = new("203.0.113.5", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");

    private readonly string _prefix = $"cli{Guid.NewGuid():N}:";
    private ServerDataFolder _data = null!;
    private IConnectionMultiplexer _connection = null!;
    private RedisSessionStoreOptions _options = null!;
    private SessionService _sessions = null!;

    public async Task InitializeAsync()
    {
        _data = await ServerDataFolder.CreateAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(cluster.Configuration);
        _options = new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true };
        _sessions = new SessionService(new RedisSessionStore(_connection, _options, TimeProvider.System), new TesseraSessionOptions(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SessionsOnAClusterAreListedAndEndedWithRedisCluster()
    {
        string id = await _data.AddUserAsync("carol");
        IssuedSession first = await _sessions.CreateAsync(id, Client, default);
        IssuedSession second = await _sessions.CreateAsync(id, Client, default);

        string withoutFlag = (await CliRunner.SucceedAsync("session", "list", "carol", "--data", _data.Path, "--redis", cluster.Configuration, "--redis-prefix", _prefix)).Stdout;
        string withFlag = (await CliRunner.SucceedAsync("session", "list", "carol", "--data", _data.Path, "--redis", cluster.Configuration, "--redis-prefix", _prefix, "--redis-cluster")).Stdout;
        await CliRunner.SucceedAsync("session", "end", "--data", _data.Path, "--redis", cluster.Configuration, "--redis-prefix", _prefix, "--redis-cluster", "--", "carol", first.Session.Handle);

        Assert.Equal("'carol' has no active sessions.\n", withoutFlag); // the v1 layout has no such keys
        Assert.Contains(first.Session.Handle, withFlag, StringComparison.Ordinal);
        Assert.Contains(second.Session.Handle, withFlag, StringComparison.Ordinal);
        Assert.False((await _sessions.ValidateAsync(first.Secret, Client, default)).Succeeded);
        Assert.True((await _sessions.ValidateAsync(second.Secret, Client, default)).Succeeded);
        Assert.True(await new RedisSessionRevocationList(_connection, _options).IsRevokedAsync(first.Session.Handle, default));
    }

    [Fact]
    public async Task RedisClusterWithoutRedisIsAUsageError()
    {
        var result = await CliRunner.RunAsync("session", "list", "carol", "--data", _data.Path, "--redis-cluster");

        CliRunner.AssertUsageError(result, "--redis-cluster is for the sessions in Redis: give --redis too");
    }

    [Fact]
    public async Task APrefixWithAHashTagIsRefusedOnACluster()
    {
        var result = await CliRunner.RunAsync("session", "list", "carol", "--data", _data.Path, "--redis", cluster.Configuration, "--redis-prefix", "{tessera}:", "--redis-cluster");

        CliRunner.AssertUsageError(result, "KeyPrefix must hold no '{' or '}'");
    }
}
