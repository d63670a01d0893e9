using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Throttling;
using Tessera.Tokens;

namespace Tessera.Redis;

/// <summary>Registers Redis as Tessera's session store, shared by every instance that names the same Redis and key prefix.</summary>
public static class TesseraRedisServiceCollectionExtensions
{
    // A resource server's default clock skew: it still accepts a token this long after its exp.
    private static readonly TimeSpan ResourceServerClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Keeps sessions in the Redis that <paramref name="configuration"/> names (e.g. <c>127.0.0.1:6379</c>).</summary>
    public static IServiceCollection AddTesseraRedisSessions(this IServiceCollection services, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddTesseraRedisSessions(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Keeps sessions in Redis (keys that expire with the session, a per-user index, atomic refresh
    /// rotation) and the revocation list of ended sessions there: registers the connection
    /// (<see cref="IConnectionMultiplexer"/>, see <see cref="TesseraRedisConnection"/>),
    /// <see cref="RedisSessionStore"/> as the <see cref="ISessionStore"/> and the <c>redis</c>
    /// <see cref="IStoreHealthProbe"/>. Users and signing keys stay in the main store: call this
    /// after <c>AddTesseraSqlite</c> or <c>AddTesseraPostgres</c> (the last session store registered wins).
    /// Redis keeps no schema, so there is nothing to migrate. The options are read when the store is first needed.
    /// </summary>
    public static IServiceCollection AddTesseraRedisSessions(this IServiceCollection services, Action<TesseraRedisOptions> configure)
    {
        AddConnection(services, configure);
        services.AddSingleton(sp => new RedisSessionStore(sp.GetRequiredService<IConnectionMultiplexer>(), StoreOptions(sp), sp.GetRequiredService<TimeProvider>()));
        // #13: with Tessera:Redis:NearCache:Enabled, a near cache in front, and the pushed revocation list.
        services.AddSingleton<ISessionStore>(sp => RedisChangesRegistration.SessionStore(sp, sp.GetRequiredService<RedisSessionStore>()));
        RedisChangesRegistration.AddFeedAndRevocationList(services);
        services.AddSingleton<IStoreHealthProbe>(sp => new RedisHealthProbe(sp.GetRequiredService<IConnectionMultiplexer>(), Options(sp).Database));
        return services;
    }

    /// <summary>
    /// Counts rate limits and failures in Redis (<see cref="RedisThrottleStore"/> as the
    /// <see cref="IThrottleStore"/>, replacing the in-memory one), so every instance sharing the
    /// Redis and key prefix spends from one budget. Uses the same connection and settings as
    /// <see cref="AddTesseraRedisSessions(IServiceCollection, Action{TesseraRedisOptions})"/>; either
    /// may be called first, or this one alone.
    /// </summary>
    public static IServiceCollection AddTesseraRedisThrottling(this IServiceCollection services, Action<TesseraRedisOptions> configure)
    {
        AddConnection(services, configure);
        // Added, not tried: the last registration wins over the in-memory store AddTessera tries to add.
        services.AddSingleton<IThrottleStore>(sp => new RedisThrottleStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), Options(sp).KeyPrefix, Options(sp).Database, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The options (validated at start) and the one connection, registered once whichever call comes first.</summary>
    internal static void AddConnection(IServiceCollection services, Action<TesseraRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        OptionsBuilder<TesseraRedisOptions> options = services.AddOptions<TesseraRedisOptions>().Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            return;
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "Redis needs a configuration string such as 127.0.0.1:6379 (Tessera:Redis:Configuration in the server's configuration).")
            .Validate(o => !string.IsNullOrEmpty(o.KeyPrefix), "The Redis key prefix (Tessera:Redis:KeyPrefix) must not be empty.")
            .Validate(o => !o.Cluster || o.KeyPrefix.AsSpan().IndexOfAny('{', '}') < 0, "With Tessera:Redis:Cluster on, the key prefix (Tessera:Redis:KeyPrefix) must hold no '{' or '}': each session's handle is its hash tag.")
            .Validate(o => !o.Cluster || o.Database <= 0, "With Tessera:Redis:Cluster on, Tessera:Redis:Database must be unset (or 0): a Redis Cluster has only database 0.")
            .Validate(o => o.ClusterUserIndexReplicas >= 0 && o.ClusterUserIndexReplicaTimeout >= RedisSessionStoreOptions.MinReplicaTimeout && o.ClusterUserIndexReplicaTimeout <= RedisSessionStoreOptions.MaxReplicaTimeout, "Tessera:Redis:ClusterUserIndexReplicas must be zero or more and Tessera:Redis:ClusterUserIndexReplicaTimeout at least one millisecond and at most one second.")
            .Validate(o => o.Retention >= TimeSpan.Zero && o.RevocationListLifetime is not { Ticks: < 0 }, "The Redis Retention and RevocationListLifetime must be zero or more.")
            .Validate(o => o.NearCache?.Problem() is null, "Tessera:Redis:NearCache: EntryLifetime must be more than zero, MaxEntries and RevocationListMaxEntries at least 1, Staleness between zero and one minute.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => TesseraRedisConnection.Connect(Options(sp).Configuration!));
    }

    internal static TesseraRedisOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<TesseraRedisOptions>>().Value;

    internal static RedisSessionStoreOptions StoreOptions(IServiceProvider services)
    {
        TesseraRedisOptions options = Options(services);
        return new RedisSessionStoreOptions
        {
            KeyPrefix = options.KeyPrefix,
            Database = options.Database,
            Cluster = options.Cluster,
            ClusterUserIndexReplicas = options.ClusterUserIndexReplicas,
            ClusterUserIndexReplicaTimeout = options.ClusterUserIndexReplicaTimeout,
            Retention = options.Retention,
            RevocationListLifetime = options.RevocationListLifetime
                ?? services.GetRequiredService<IOptions<TesseraTokenOptions>>().Value.AccessTokenLifetime + ResourceServerClockSkew,
        };
    }
}
