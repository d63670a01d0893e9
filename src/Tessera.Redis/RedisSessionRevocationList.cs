using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis;

/// <summary>
/// The revocation list <see cref="RedisSessionStore"/> writes: a resource server connected to the
/// same Redis (same key prefix) asks it whether a token's <c>sid</c> was revoked. One EXISTS per
/// call; a resource server may be given a Redis user that can only read these keys.
/// </summary>
public sealed class RedisSessionRevocationList : ISessionRevocationList
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly int _database;

    /// <summary>Reads the revocation list in <paramref name="database"/> of <paramref name="redis"/> under <paramref name="keyPrefix"/>, which must be the session store's prefix.</summary>
    public RedisSessionRevocationList(IConnectionMultiplexer redis, string keyPrefix = "tessera:", int database = -1)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _keys = new RedisKeys(keyPrefix);
        _database = database;
    }

    /// <summary>Reads the revocation list of the session store configured by <paramref name="options"/> (its prefix, database and key layout: <see cref="RedisSessionStoreOptions.Cluster"/>).</summary>
    public RedisSessionRevocationList(IConnectionMultiplexer redis, RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _keys = new RedisKeys(options.KeyPrefix, options.Cluster);
        _database = options.Database;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return await RedisCalls.RunAsync(() => _redis.GetDatabase(_database).KeyExistsAsync(_keys.Revoked(sessionId)), cancellationToken).ConfigureAwait(false);
    }
}
