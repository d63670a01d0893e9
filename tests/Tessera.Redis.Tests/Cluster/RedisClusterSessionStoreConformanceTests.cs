using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// The whole session-store conformance suite against a real Redis Cluster with the cluster key
/// layout (<see cref="RedisSessionStoreOptions.Cluster"/>): StackExchange.Redis routes each call to
/// the primary owning its slot, so every script here ran on one slot, and every cross-slot
/// operation went through <see cref="RedisClusterSessions"/>'s steps.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionStoreConformanceTests(RedisClusterFixture cluster) : SessionStoreConformanceTests
{
    private readonly string _prefix = RedisFixture.UniquePrefix();

    private RedisSessionStoreOptions StoreOptions => new() { KeyPrefix = _prefix, Cluster = true };

    protected override ValueTask<ISessionStore> CreateStoreAsync() =>
        ValueTask.FromResult<ISessionStore>(new RedisSessionStore(cluster.Connection, StoreOptions, Time));

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISessionStore>(new RedisSessionStore(cluster.SecondConnection, StoreOptions, Time));

    protected override bool PurgeLeavesRevocationListEntries => true;

    protected override async ValueTask<long> StoredEntriesAsync() => (await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix)).Count;
}
