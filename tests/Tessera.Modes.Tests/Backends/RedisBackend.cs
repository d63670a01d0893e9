using Tessera.Modes.Tests.Stores;
using Tessera.Modes.Tests.Suites;
using Tessera.Testing.Servers;

namespace Tessera.Modes.Tests.Backends;

/// <summary>
/// The scale-out set: sessions in Redis (one real server for the collection, a key prefix per host),
/// users and keys in PostgreSQL (one real cluster, a database per host).
/// </summary>
public sealed class RedisHosts : HostPool
{
    private readonly RedisServer _redis = new();
    private readonly PostgresServer _cluster = new();
    private StoreSet? _stores;

    public override StoreSet Stores => _stores ?? throw new InvalidOperationException("Redis has not been started.");

    public override async Task InitializeAsync()
    {
        await Task.WhenAll(_redis.StartAsync(), ((IAsyncLifetime)_cluster).InitializeAsync());
        _stores = new RedisSessionsStoreSet(new PostgresStoreSet(_cluster), _redis.Configuration);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _redis.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisHosts>
{
    public const string Name = "redis sessions over postgres";
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionLifecycleTests(RedisHosts hosts) : SessionLifecycleSuite(hosts);

[Collection(RedisCollection.Name)]
public sealed class RedisSignInTests(RedisHosts hosts) : SignInSuite(hosts);
