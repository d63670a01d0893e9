using Tessera.Sessions.Changes;

namespace Tessera.PostgreSql;

/// <summary>
/// <c>Tessera:Postgres:NearCache</c> (issue #13): sessions read from PostgreSQL held in each
/// instance's memory for a short time (<see cref="NearCachedSessionStore"/>), dropped when the change
/// feed (<c>Tessera:Postgres:ChangeFeed</c>, which must be on) announces a change made anywhere. The
/// same shape as <c>Tessera:Redis:NearCache</c>; the staleness bound is the feed's
/// (<see cref="PostgresChangeFeedOptions.Staleness"/>). Off by default: with it, a change made on
/// another instance takes effect here within the feed's latency rather than on the very next request.
/// </summary>
public sealed class PostgresNearCacheOptions
{
    /// <summary>Hold sessions in memory in front of the PostgreSQL session store.</summary>
    public bool Enabled { get; set; }

    /// <inheritdoc cref="SessionNearCacheOptions.EntryLifetime"/>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc cref="SessionNearCacheOptions.MaxEntries"/>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>The near cache's own settings.</summary>
    public SessionNearCacheOptions ToSessionNearCacheOptions() => new() { EntryLifetime = EntryLifetime, MaxEntries = MaxEntries };

    /// <summary>Why these options are unusable (with <paramref name="feed"/>, which the cache needs), or null when they are fine.</summary>
    public string? Problem(PostgresChangeFeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return !Enabled ? null
            : !feed.Enabled ? "Tessera:Postgres:NearCache needs the change feed: set Tessera:Postgres:ChangeFeed:Enabled too"
            : ToSessionNearCacheOptions().Problem() is { } problem ? $"Tessera:Postgres:NearCache: {problem}"
            : null;
    }
}
