namespace Tessera.Sessions.Changes;

/// <summary>Settings of <see cref="NearCachedSessionStore"/>.</summary>
public sealed record SessionNearCacheOptions
{
    /// <summary>
    /// How long a session read from the store is answered from memory at most, even when no change
    /// is heard (a bound on top of the feed's invalidation). Short on purpose.
    /// </summary>
    public TimeSpan EntryLifetime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most sessions held in memory; past it, expired entries are swept and then the oldest inserts dropped.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        EntryLifetime <= TimeSpan.Zero ? "EntryLifetime must be more than zero"
        : MaxEntries < 1 ? "MaxEntries must be at least 1"
        : null;
}
