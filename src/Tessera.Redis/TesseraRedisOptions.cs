namespace Tessera.Redis;

/// <summary>What <see cref="TesseraRedisServiceCollectionExtensions.AddTesseraRedisSessions(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{TesseraRedisOptions})"/> sets up (the server binds <c>Tessera:Redis</c> to it).</summary>
public sealed class TesseraRedisOptions
{
    /// <summary>A StackExchange.Redis configuration string such as <c>127.0.0.1:6379,password=…</c> (<see cref="TesseraRedisConnection"/> tunes it).</summary>
    public string? Configuration { get; set; }

    /// <inheritdoc cref="RedisSessionStoreOptions.KeyPrefix"/>
    public string KeyPrefix { get; set; } = "tessera:";

    /// <inheritdoc cref="RedisSessionStoreOptions.Database"/>
    public int Database { get; set; } = -1;

    /// <inheritdoc cref="RedisSessionStoreOptions.Cluster"/>
    public bool Cluster { get; set; }

    /// <inheritdoc cref="RedisSessionStoreOptions.ClusterUserIndexReplicas"/>
    public int ClusterUserIndexReplicas { get; set; } = 1;

    /// <inheritdoc cref="RedisSessionStoreOptions.ClusterUserIndexReplicaTimeout"/>
    public TimeSpan ClusterUserIndexReplicaTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc cref="RedisSessionStoreOptions.Retention"/>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a revoked session id stays on the revocation list resource servers read. Unset:
    /// the access-token lifetime (<c>Tessera:Tokens:AccessTokenLifetime</c>) plus one minute, the
    /// clock skew a resource server allows, after which no token naming the session is accepted anyway.
    /// </summary>
    public TimeSpan? RevocationListLifetime { get; set; }

    /// <summary><c>Tessera:Redis:NearCache</c>: sessions and revoked ids held in memory, kept current by pub/sub (#13; off by default).</summary>
    public TesseraRedisNearCacheOptions NearCache { get; set; } = new();
}
