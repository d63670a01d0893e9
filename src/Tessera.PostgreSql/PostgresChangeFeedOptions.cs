namespace Tessera.PostgreSql;

/// <summary>
/// The PostgreSQL session change feed (configuration section <c>Tessera:Postgres:ChangeFeed</c>):
/// the session store announces every change with <c>NOTIFY</c> inside the writing statement, and
/// <see cref="PostgresSessionChangeFeed"/> hears them on one dedicated connection per instance
/// (<c>LISTEN</c>), so revocation lists and near caches held in memory stay current (issue #13).
/// Every instance sharing the database must agree: one that writes without announcing is not heard.
/// </summary>
public sealed class PostgresChangeFeedOptions
{
    /// <summary>The longest <see cref="Staleness"/> or <see cref="Heartbeat"/> accepted.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(5);

    /// <summary>Announce session changes and register the feed (<c>ISessionChangeFeed</c>). Off by default: a commit that notifies takes PostgreSQL's notify lock.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How long a listener may keep answering from what it holds after the feed lost its
    /// connection (<c>ISessionChangeFeed.Staleness</c>); after that it must ask the store. The
    /// longest a revocation can go unheard once a loss is noticed.
    /// </summary>
    public TimeSpan Staleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the listening connection may stay silent before the feed checks it with a query
    /// (which must answer within the same time): bounds how long a silently dead network goes
    /// unnoticed (at most twice this). A connection the server closes is noticed at once.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        Staleness <= TimeSpan.Zero || Staleness > MaxInterval ? $"Tessera:Postgres:ChangeFeed:Staleness must be positive and at most {MaxInterval}."
        : Heartbeat < TimeSpan.FromMilliseconds(100) || Heartbeat > MaxInterval ? $"Tessera:Postgres:ChangeFeed:Heartbeat must be between 100 ms and {MaxInterval}."
        : null;
}
