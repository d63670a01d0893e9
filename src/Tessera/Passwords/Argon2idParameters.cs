namespace Tessera.Passwords;

/// <summary>
/// Argon2id cost parameters (RFC 9106). The defaults are OWASP's minimum recommendation for
/// Argon2id: m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
/// </summary>
public sealed record Argon2idParameters
{
    /// <summary>The smallest memory cost accepted, in KiB; below it Argon2id protects little.</summary>
    public const int MinimumMemoryKiB = 1024;

    /// <summary>The largest memory cost accepted, in KiB (1 GiB), also for hashes read back from a store.</summary>
    public const int MaximumMemoryKiB = 1024 * 1024;

    /// <summary>The largest number of passes accepted, also for hashes read back from a store.</summary>
    public const int MaximumIterations = 64;

    /// <summary>Memory cost in KiB (<c>m</c>); 19456 KiB = 19 MiB by default.</summary>
    public int MemoryKiB { get; init; } = 19 * 1024;

    /// <summary>Number of passes (<c>t</c>).</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>
    /// Lanes (<c>p</c>). libsodium, the maintained implementation under NSec, computes one lane only,
    /// so 1 is the only value accepted.
    /// </summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Salt length in bytes: RFC 9106 §3.1 recommends 16, and libsodium takes exactly 16.</summary>
    public const int SaltBytes = 16;

    /// <summary>Tag length in bytes.</summary>
    public int HashBytes { get; init; } = 32;

    /// <summary>Why these parameters are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (MemoryKiB is < MinimumMemoryKiB or > MaximumMemoryKiB)
        {
            return $"the memory cost must be between {MinimumMemoryKiB} and {MaximumMemoryKiB} KiB";
        }

        if (Iterations is < 1 or > MaximumIterations)
        {
            return $"the number of iterations must be between 1 and {MaximumIterations}";
        }

        if (Parallelism != 1)
        {
            return "the parallelism must be 1 (libsodium computes a single lane)";
        }

        if (HashBytes is < 16 or > 64)
        {
            return "the hash length must be between 16 and 64 bytes";
        }

        return null;
    }
}
