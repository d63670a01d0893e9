using StackExchange.Redis;
using Tessera.Modes.Tests.Stores;
using Tessera.Modes.Tests.Suites;
using Tessera.Redis;
using Tessera.Testing.Servers;

namespace Tessera.Modes.Tests.Backends;

/// <summary>Sessions in Redis (one real server for the collection, a key prefix per host), users and keys in SQLite.</summary>
public sealed class RedisHosts : HostPool
{
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-modes-redis-").FullName;
    private IConnectionMultiplexer? _connection;
    private StoreSet? _stores;

    public override StoreSet Stores => _stores ?? throw new InvalidOperationException("Redis has not been started.");

    public override async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(_redis.Configuration);
        _stores = new RedisSessionsStoreSet(new SqliteStoreSet(_folder), _connection);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _redis.DisposeAsync();
        SqliteHosts.DeleteFolder(_folder);
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisHosts>
{
    public const string Name = "redis sessions over sqlite";
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionLifecycleTests(RedisHosts hosts) : SessionLifecycleSuite(hosts);

[Collection(RedisCollection.Name)]
public sealed class RedisSignInTests(RedisHosts hosts) : SignInSuite(hosts);
