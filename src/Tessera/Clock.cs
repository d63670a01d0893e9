namespace Tessera;

/// <summary>
/// Reads the time from a <see cref="TimeProvider"/> truncated to whole milliseconds, the precision
/// every store keeps, so a record reads back exactly as it was written whatever the backend.
/// </summary>
public static class Clock
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Truncate(time.GetUtcNow());
    }

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
