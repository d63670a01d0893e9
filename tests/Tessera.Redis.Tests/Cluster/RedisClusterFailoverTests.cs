using System.Diagnostics;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// A failover of the primary that holds a live session: the primary is killed (no warning), its
/// replica is promoted by the cluster (node timeout one second), and the same store, through the
/// same connection, still validates the session and can revoke it; and a node that never returns does
/// not leave the change feed disconnected. Its own cluster, since each test kills a node (a cluster
/// per test). Waits are bounded; no timing is asserted.
/// </summary>
public sealed partial class RedisClusterFailoverTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static CancellationToken None => CancellationToken.None;

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
            await RedisClusterUserIndexWait.CloseAsync(_connection);
            await _connection.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task ALiveSessionSurvivesTheLossOfItsPrimaryAndIsRevokedOnThePromotedReplica()
    {
        var options = new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true };
        var store = new RedisSessionStore(_connection!, options, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        // A sign-in waits for a replica to hold the user's index entry (WAIT, at most 500 ms); a fresh
        // cluster on a busy machine can miss that once, which the store answers as unavailable.
        IssuedSession issued = await EventuallyAsync(() => sessions.CreateAsync("user-1", Laptop, None).AsTask());
        Assert.True((await sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        string sessionKey = new RedisKeys(_prefix, cluster: true).Session(issued.Session.Handle);
        (int primary, int replica) = await _cluster.OwnersOfSlotAsync(await _cluster.KeySlotAsync(sessionKey));
        await _cluster.WaitForReplicaAsync(primary, replica);

        await _cluster.KillAsync(primary);
        await _cluster.WaitUntilPrimaryAsync(replica);
        Assert.Equal("1", await RedisCluster.CommandAsync(replica, "EXISTS", sessionKey));

        // The client learns the new owner of the slot (connection failure, then MOVED / a fresh slot map).
        SessionValidation validation = await EventuallyAsync(async () => await sessions.ValidateAsync(issued.Secret, Laptop, None));
        Assert.True(validation.Succeeded);
        Assert.Equal(issued.Session.Handle, validation.Session!.Handle);

        Assert.True(await EventuallyAsync(async () => await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None)));
        SessionValidation after = await sessions.ValidateAsync(issued.Secret, Laptop, None);
        Assert.False(after.Succeeded);
        Assert.True(after.Session?.IsRevoked ?? true);
        Assert.True(await new RedisSessionRevocationList(_connection!, options).IsRevokedAsync(issued.Session.Handle, None));
        Assert.Contains("ra", await RedisCluster.CommandAsync(replica, "HKEYS", sessionKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALiveSessionStaysValidThroughAPlannedFailoverOfItsPrimary()
    {
        var options = new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true };
        var store = new RedisSessionStore(_connection!, options, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        // As above: a sign-in the replica did not acknowledge in time is answered as unavailable, and tried again.
        IssuedSession issued = await EventuallyAsync(() => sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None).AsTask());

        string sessionKey = new RedisKeys(_prefix, cluster: true).Session(issued.Session.Handle);
        (int primary, int replica) = await _cluster.OwnersOfSlotAsync(await _cluster.KeySlotAsync(sessionKey));
        await _cluster.FailOverToAsync(replica);
        // The old primary turns into the new one's replica; the other nodes hear of it by gossip.
        Assert.Equal((replica, primary), await OwnersOnceSettledAsync(await _cluster.KeySlotAsync(sessionKey), (replica, primary)));

        // The old primary now answers MOVED for the slot; the client follows it to the new one.
        SessionRecord? found = await EventuallyAsync(async () => await store.FindBySecretHashAsync(issued.Session.SecretHash, None));
        Assert.Equal(issued.Session.Handle, found?.Handle);
        byte[] next = SessionSecret.Generate().Hash;
        Assert.True(await EventuallyAsync(async () => await store.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, DateTimeOffset.UtcNow, issued.Session.IdleExpiresAt, null, None)));
        Assert.Equal(issued.Session.Handle, (await store.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
        Assert.Equal(1, await store.RevokeAllForUserAsync("user-1", null, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, None));
        Assert.True((await store.FindBySecretHashAsync(next, None))?.IsRevoked);
    }

    private async Task<(int Primary, int Replica)> OwnersOnceSettledAsync(int slot, (int, int) expected)
    {
        var waited = Stopwatch.StartNew();
        (int, int) owners = default;
        while (waited.Elapsed < Patience)
        {
            try
            {
                owners = await _cluster.OwnersOfSlotAsync(slot);
                if (owners == expected)
                {
                    break;
                }
            }
            catch (InvalidOperationException)
            {
                // Not every node knows the new roles yet.
            }

            await Task.Delay(100);
        }

        return owners;
    }

    /// <summary>
    /// A node that dies and never comes back: StackExchange.Redis reports its connection failed and
    /// never restored, and the change feed must not stay disconnected for good (every listener would
    /// ask Redis on every request, the near cache and pushed list off until a restart).
    /// </summary>
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
        // A shard has just lost its replica for good: a sign-in there cannot be made durable (WAIT), and
        // this test is about the feed, so the store does not wait for replicas.
        var store = new RedisSessionStore(_connection!, new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true, ClusterUserIndexReplicas = 0 }, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, None);
        Assert.True(await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None));
        SessionChange change = await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "the revocation after the node was lost");
        Assert.Equal(SessionChangeKind.Revoked, change.Kind);
    }

    // Retries while the store is unavailable (the slot's owner is being replaced), within a bound.
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is StoreUnavailableException or RedisException && waited.Elapsed < Patience)
            {
                await Task.Delay(200);
            }
        }
    }
}
