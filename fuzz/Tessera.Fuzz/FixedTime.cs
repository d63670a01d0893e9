namespace Tessera.Fuzz;

/// <summary>A clock that never moves, so a target's verdict depends on its input alone.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    /// <summary>2026-01-01T00:00:00Z: inside the validity of the corpus' tokens that carry times.</summary>
    public static FixedTime Default { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
