using Tessera.Cli.Tests.Support;
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

    private RedisSessions _setup = null!;

    public async Task InitializeAsync() => _setup = await RedisSessions.CreateAsync(cluster.Configuration, cluster: true);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task SessionsOnAClusterAreListedAndEndedWithRedisCluster()
    {
        string id = await _setup.Data.AddUserAsync("carol");
        IssuedSession first = await _setup.Sessions.CreateAsync(id, Client, default);
        IssuedSession second = await _setup.Sessions.CreateAsync(id, Client, default);

        var withoutFlag = await CliRunner.RunAsync("session", "list", "carol", "--data", _setup.Data.Path, "--redis", cluster.Configuration, "--redis-prefix", _setup.Prefix);
        string withFlag = (await CliRunner.SucceedAsync("session", "list", "carol", "--data", _setup.Data.Path, "--redis", cluster.Configuration, "--redis-prefix", _setup.Prefix, "--redis-cluster")).Stdout;
        await CliRunner.SucceedAsync("session", "end", "--data", _setup.Data.Path, "--redis", cluster.Configuration, "--redis-prefix", _setup.Prefix, "--redis-cluster", "--", "carol", first.Session.Handle);

        // The v1 layout with an untagged prefix cannot live on a cluster: refused, with the way out.
        CliRunner.AssertUsageError(withoutFlag, "the Redis at --redis is a Redis Cluster: add --redis-cluster");
        Assert.Contains(first.Session.Handle, withFlag, StringComparison.Ordinal);
        Assert.Contains(second.Session.Handle, withFlag, StringComparison.Ordinal);
        Assert.False((await _setup.Sessions.ValidateAsync(first.Secret, Client, default)).Succeeded);
        Assert.True((await _setup.Sessions.ValidateAsync(second.Secret, Client, default)).Succeeded);
        Assert.True(await _setup.IsRevokedAsync(first.Session.Handle));
    }

    [Fact]
    public async Task RedisClusterWithoutRedisIsAUsageError()
    {
        var result = await CliRunner.RunAsync("session", "list", "carol", "--data", _setup.Data.Path, "--redis-cluster");

        CliRunner.AssertUsageError(result, "--redis-cluster is for the sessions in Redis: give --redis too");
    }

    [Fact]
    public async Task APrefixWithAHashTagIsRefusedOnACluster()
    {
        var result = await CliRunner.RunAsync("session", "list", "carol", "--data", _setup.Data.Path, "--redis", cluster.Configuration, "--redis-prefix", "{tessera}:", "--redis-cluster");

        CliRunner.AssertUsageError(result, "KeyPrefix must hold no '{' or '}'");
    }
}
