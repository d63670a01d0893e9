using Tessera.Sessions.Changes;

namespace Tessera.Redis;

/// <summary>
/// <c>Tessera:Redis:NearCache</c>: sessions and the revocation list held in each instance's memory,
/// kept current by Redis pub/sub (<see cref="RedisSessionChangeFeed"/>). Off by default: with it, a
/// change made on another instance takes effect there within the feed's latency (and never later
/// than <see cref="Staleness"/> after the feed is lost), rather than on the very next request.
/// </summary>
public sealed class TesseraRedisNearCacheOptions
{
    /// <summary>Hold sessions (<see cref="NearCachedSessionStore"/>) and revoked session ids (<see cref="PushedSessionRevocationList"/>) in memory.</summary>
    public bool Enabled { get; set; }

    /// <inheritdoc cref="SessionNearCacheOptions.EntryLifetime"/>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc cref="SessionNearCacheOptions.MaxEntries"/>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>
    /// How long after the pub/sub connection is lost an instance keeps answering from memory; past
    /// it every read goes to Redis again until the feed is back and the memory reloaded.
    /// </summary>
    public TimeSpan Staleness { get; set; } = RedisSessionChangeFeed.DefaultStaleness;

    /// <inheritdoc cref="PushedRevocationListOptions.MaxEntries"/>
    public int RevocationListMaxEntries { get; set; } = 1_000_000;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        new SessionNearCacheOptions { EntryLifetime = EntryLifetime, MaxEntries = MaxEntries }.Problem()
        ?? (Staleness < TimeSpan.Zero || Staleness > TimeSpan.FromMinutes(1) ? "Staleness must be between zero and one minute" : null)
        ?? (RevocationListMaxEntries < 1 ? "RevocationListMaxEntries must be at least 1" : null);
}
