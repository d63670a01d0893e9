namespace Tessera.Throttling;

/// <summary>A counter's value in its current window, and when that window ends (the counter then reads 0).</summary>
public readonly record struct ThrottleCount(long Count, DateTimeOffset WindowEndsAt)
{
    /// <summary>A counter that was never incremented, as read at <paramref name="now"/>.</summary>
    public static ThrottleCount None(DateTimeOffset now) => new(0, now);
}
