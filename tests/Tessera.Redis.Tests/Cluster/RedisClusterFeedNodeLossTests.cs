using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// The cluster feed when a node dies and never comes back: StackExchange.Redis reports its connection
/// failed and never restored, and the feed must not stay disconnected for good (every listener would
/// then ask Redis on every request, and the near cache and pushed list would be off until a restart).
/// Its own cluster, since a node is killed. Waits are bounded; no timing is asserted.
/// </summary>
public sealed class RedisClusterFeedNodeLossTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    private readonly RedisCluster _cluster = new();
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private IConnectionMultiplexer? _connection;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(_cluster.Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task AfterANodeThatNeverReturnsTheFeedConnectsAgainAndDelivers()
    {
        using var feed = new RedisSessionChangeFeed(_connection!, _prefix, TimeSpan.FromSeconds(1), cluster: true);
        var heard = new RecordingListener(TimeSpan.FromSeconds(60));
        using IDisposable subscription = feed.Subscribe(heard);
        await heard.WaitForResetsAsync(1);
        int replica = (await RedisCluster.NodesSeenByAsync(_cluster.Nodes[0].Port)).First(n => !n.IsPrimary && !n.IsFailed).Port;

        await _cluster.KillAsync(replica);

        await heard.WaitForDisconnectsAsync(1);
        await heard.WaitUntilAsync(() => heard.Resets >= 2 && heard.Events[^1] == "reset", "a reset after the lost node's failure");
        Assert.True(feed.IsConnected);
        var store = new RedisSessionStore(_connection!, new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true }, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.True(await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None));
        SessionChange change = await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "the revocation after the node was lost");
        Assert.Equal(SessionChangeKind.Revoked, change.Kind);
    }
}
