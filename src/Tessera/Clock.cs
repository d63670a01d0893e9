namespace Tessera;

/// <summary>
/// Reads the time from a <see cref="TimeProvider"/> truncated to whole milliseconds, the precision
/// every store keeps, so a record reads back exactly as it was written whatever the backend.
/// </summary>
public static class Clock
{
    /// <summary>The current time of <paramref name="time"/>, truncated to whole milliseconds.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Truncate(time.GetUtcNow());
    }

    /// <paramref name="value"/> truncated to whole milliseconds, in UTC: what a store reads back after writing it.
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
