namespace Tessera.Passwords;

/// <summary>
/// How many Argon2id computations a request path may run at once, and how long a request waits for
/// a slot. Each computation holds its memory cost (19 MiB by default) for its whole run, so without a
/// bound memory grows with the hashes in flight; with one, it stays near
/// <c>MaxConcurrent × MemoryKiB</c> and the excess is refused with 503 and <c>Retry-After</c>
/// (OWASP ASVS 5 V2.4 anti-automation; RFC 9110 §15.6.4).
/// </summary>
public sealed record PasswordHashingLimits
{
    /// <summary>The largest value accepted for <see cref="MaxConcurrent"/> and <see cref="MaxQueued"/>.</summary>
    public const int MaximumSlots = 1024;

    /// <summary>Hashes computed at once. Argon2id is CPU-bound, so more than the cores only adds memory.</summary>
    public int MaxConcurrent { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a slot at once; the next one is refused at once.</summary>
    public int MaxQueued { get; init; } = Environment.ProcessorCount * 8;

    /// <summary>How long a request waits for a slot before it is refused (a short queue, not a backlog).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> given with a refusal.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Why these limits are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (MaxConcurrent is < 1 or > MaximumSlots)
        {
            return $"MaxConcurrent must be between 1 and {MaximumSlots}";
        }

        if (MaxQueued is < 0 or > MaximumSlots)
        {
            return $"MaxQueued must be between 0 and {MaximumSlots}";
        }

        if (MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromSeconds(30))
        {
            return "MaxWait must be between 0 and 30 seconds";
        }

        return RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromHours(1)
            ? "RetryAfter must be between 1 second and 1 hour"
            : null;
    }
}
