namespace Tessera.Redis;

/// <summary>Settings of <see cref="RedisSessionStore"/> and <see cref="RedisSessionRevocationList"/>.</summary>
public sealed record RedisSessionStoreOptions
{
    /// <summary>
    /// Put before every key. Instances that share sessions use the same prefix; on Redis Cluster it
    /// must hold a hash tag (e.g. <c>{tessera}:</c>) because one script touches several keys.
    /// </summary>
    public string KeyPrefix { get; init; } = "tessera:";

    /// <summary>
    /// How long an ended (expired or revoked) session is kept before Redis deletes it: until then a
    /// replayed cookie or refresh token is answered "revoked" or "expired", not "unknown". The
    /// server passes its <c>Tessera:SessionRetention</c>.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a revoked session id stays on the revocation list: the longest access-token
    /// lifetime plus the clock skew resource servers allow, after which no token naming it is
    /// accepted anyway. Zero: no list is kept.
    /// </summary>
    public TimeSpan RevocationListLifetime { get; init; } = TimeSpan.FromMinutes(16);

    /// <summary>The Redis database number; -1: the connection's default.</summary>
    public int Database { get; init; } = -1;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(KeyPrefix))
        {
            return "KeyPrefix must not be empty";
        }

        if (Retention < TimeSpan.Zero || RevocationListLifetime < TimeSpan.Zero)
        {
            return "Retention and RevocationListLifetime must be zero or more";
        }

        return null;
    }
}
