namespace Tessera.Sessions.Changes;

/// <summary>Settings of <see cref="PushedSessionRevocationList"/>.</summary>
public sealed record PushedRevocationListOptions
{
    /// <summary>
    /// How long a revocation heard on the feed is kept: the store's revocation-list lifetime (the
    /// longest access token plus the clock skew), after which no token naming the session is accepted anyway.
    /// </summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(16);

    /// <summary>
    /// The most session ids held in memory. Past it the list stops answering locally (every check
    /// asks the store, as without the feed) until a reload fits again: memory stays bounded and no
    /// revocation is ever dropped.
    /// </summary>
    public int MaxEntries { get; init; } = 1_000_000;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        Lifetime <= TimeSpan.Zero ? "Lifetime must be more than zero"
        : MaxEntries < 1 ? "MaxEntries must be at least 1"
        : null;
}
