namespace Tessera.Sessions;

/// <summary>
/// How long a kind of session lives: <see cref="Idle"/> of inactivity ends it (sliding), and it ends
/// <see cref="Absolute"/> after it began however active it is. A cookie session takes its lifetimes
/// from <see cref="TesseraSessionOptions"/>, a token session from the refresh lifetimes of token mode.
/// The one place where a session's expiry times are computed.
/// </summary>
public sealed record SessionLifetime
{
    /// <summary>Lifetimes of <paramref name="idle"/> without use and <paramref name="absolute"/> from sign-in, both positive; an absolute lifetime shorter than the idle one caps the idle expiry.</summary>
    public SessionLifetime(TimeSpan idle, TimeSpan absolute)
    {
        // An absolute lifetime shorter than the idle one is allowed: the idle expiry is capped by it.
        if (idle <= TimeSpan.Zero || absolute <= TimeSpan.Zero)
        {
            throw new ArgumentException("The idle and absolute lifetimes must be positive.", nameof(absolute));
        }

        Idle = idle;
        Absolute = absolute;
    }

    /// <summary>Inactivity that ends the session.</summary>
    public TimeSpan Idle { get; }

    /// <summary>Lifetime that ends the session however active it is.</summary>
    public TimeSpan Absolute { get; }

    /// <summary>The absolute expiry of a session that begins at <paramref name="now"/>.</summary>
    public DateTimeOffset AbsoluteExpiresAt(DateTimeOffset now) => now + Absolute;

    /// <summary>The idle expiry of activity at <paramref name="now"/>: slides forward, never past <paramref name="absoluteExpiresAt"/>.</summary>
    public DateTimeOffset IdleExpiresAt(DateTimeOffset now, DateTimeOffset absoluteExpiresAt)
    {
        DateTimeOffset idle = now + Idle;
        return idle < absoluteExpiresAt ? idle : absoluteExpiresAt;
    }
}
