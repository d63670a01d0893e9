namespace Tessera.Redis;

/// <summary>Settings of <see cref="RedisSessionStore"/> and <see cref="RedisSessionRevocationList"/>.</summary>
public sealed record RedisSessionStoreOptions
{
    /// <summary>
    /// Put before every key. Instances that share sessions use the same prefix. On Redis Cluster,
    /// either set <see cref="Cluster"/> (the prefix then holds no brace: each session picks its own
    /// slot) or, with the single-slot layout, give the prefix a hash tag (e.g. <c>{tessera}:</c>),
    /// which keeps every key in one slot of one primary.
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

    /// <summary>
    /// Spread sessions over the slots of a Redis Cluster: key layout v2 (<c>{prefix}v2:…</c>), every
    /// key of a session tagged with its handle and a user's index with the user id, scripts that
    /// touch one slot each. Off (the default): layout v1, one script per operation, for one Redis
    /// (or a primary with replicas and Sentinel). Switching starts from no sessions (docs/scaling.md, "Redis Cluster").
    /// </summary>
    public bool Cluster { get; init; }

    /// <summary>
    /// With <see cref="Cluster"/>: how many replicas must hold a new session's user-index entry
    /// (Redis <c>WAIT</c> on the user's primary) before its record is written, so a failover of that
    /// primary cannot lose the entry while the record (on another shard) survives, which would hide
    /// the session from "sign out everywhere". When fewer acknowledge within
    /// <see cref="ClusterUserIndexReplicaTimeout"/> the sign-in is refused
    /// (<see cref="Stores.StoreUnavailableException"/>, 503) and nothing of the sign-in is kept. The
    /// index write and its WAIT go over a second connection of their own (WAIT blocks the connection
    /// it runs on), so no other call waits behind them. Zero: no wait (the gap documented in
    /// docs/scaling.md, "Redis Cluster", stays open). Default 1.
    /// </summary>
    public int ClusterUserIndexReplicas { get; init; } = 1;

    /// <summary>
    /// How long a sign-in waits for <see cref="ClusterUserIndexReplicas"/> (WAIT's timeout; at least
    /// one millisecond, at most one second). Default one second: measured on a loaded machine a WAIT took well
    /// under that (docs/scaling.md, "Redis Cluster"), and since the WAIT runs on a connection of its
    /// own a longer wait holds back nothing but sign-ins to the same primary.
    /// </summary>
    public TimeSpan ClusterUserIndexReplicaTimeout { get; init; } = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan MaxReplicaTimeout = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan MinReplicaTimeout = TimeSpan.FromMilliseconds(1);

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

        if (Cluster && KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // Redis hashes the first {…} of a name: a tag in the prefix would put every session in one slot.
            return "KeyPrefix must hold no '{' or '}' when Cluster is on (each session's handle is its hash tag)";
        }

        if (ClusterUserIndexReplicas < 0 || ClusterUserIndexReplicaTimeout < MinReplicaTimeout || ClusterUserIndexReplicaTimeout > MaxReplicaTimeout)
        {
            // A sign-in waits about two timeouts (its turn on the WAIT connection, then its WAIT): kept
            // short. At least 1 ms: WAIT counts whole milliseconds and WAIT n 0 blocks forever.
            return "ClusterUserIndexReplicas must be zero or more and ClusterUserIndexReplicaTimeout at least one millisecond and at most one second";
        }

        if (Cluster && Database > 0)
        {
            return "Database must be unset (or 0) when Cluster is on: a Redis Cluster has only database 0";
        }

        return null;
    }
}
