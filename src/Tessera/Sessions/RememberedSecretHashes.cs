using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Tessera.Sessions;

/// <summary>
/// Session cookie secrets that recently named a live session, each with its SHA-256, so the same
/// cookie on its next request is looked up without being decoded and hashed again. libsodium's
/// SHA-256 of the 32-byte secret is about 0.5 µs on the benchmark machine, a quarter of what a
/// session cookie adds to a request in memory (docs/benchmarks.md); the look-up here is a dictionary
/// probe on the cookie text.
/// </summary>
/// <remarks>
/// <para>
/// Why holding live secrets here is acceptable: the store keeps only hashes so that a copy of the
/// store (a backup, a replica, a Redis dump, a read through SQL injection) cannot sign anyone in.
/// This table lives in the process's memory only, never in the store, and that memory already holds
/// every request's cookie while it is served and the signing keys; an attacker who reads it is out of
/// scope (docs/security.md, "Who we defend against"). Turn it off with
/// <see cref="TesseraSessionOptions.RememberedCookieSecrets"/> = 0.
/// </para>
/// <para>
/// Only a secret whose session just passed every check is added, so made-up secrets never take a
/// place; a remembered secret whose session is found ended is forgotten. What the table answers is a
/// pure function of the secret (its hash): the store still decides, on every request, whether the
/// session lives. A hit needs the very characters that were hashed (ordinal equality); the string
/// comparison is reached only for an equal 32-bit hash code of the text, which a guesser cannot aim
/// at without the secret.
/// </para>
/// <para>
/// Bounded by two generations of at most half the capacity each: when the young one is full, or
/// began more than half the sessions' idle timeout ago, the old one is dropped and the young one
/// becomes old. A secret found in the old generation moves back to the young one. So a cookie in use
/// stays, and one not accepted for the idle timeout (after which its session has ended anyway) is gone
/// once the instance has looked up one more cookie, which brings the time (<see cref="AgeBy"/>; the
/// session core reads the clock for its checks anyway, so the table reads none of its own). An
/// instance that serves no cookie at all keeps what it holds until it serves one.
/// </para>
/// </remarks>
internal sealed class RememberedSecretHashes
{
    private readonly int _generationSize;
    private readonly long _generationTicks;
    private readonly Lock _aging = new();
    private volatile ConcurrentDictionary<string, byte[]> _young = NewGeneration();
    private volatile ConcurrentDictionary<string, byte[]> _old = NewGeneration();
    private int _youngCount;
    private long _youngSince;

    /// <summary>
    /// A table of about <paramref name="capacity"/> secrets (at least 2), each gone once unused for
    /// <paramref name="maxIdle"/>, given the time by <see cref="AgeBy"/> from <paramref name="start"/> on.
    /// </summary>
    public RememberedSecretHashes(int capacity, TimeSpan maxIdle, DateTimeOffset start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxIdle, TimeSpan.Zero);
        _generationSize = capacity / 2;
        _generationTicks = Math.Max(1, maxIdle.Ticks / 2);
        _youngSince = start.UtcTicks;
    }

    /// <summary>The SHA-256 of <paramref name="secret"/> when it is remembered; callers must not change it.</summary>
    public bool TryGet(string secret, [NotNullWhen(true)] out byte[]? hash)
    {
        if (_young.TryGetValue(secret, out hash))
        {
            return true;
        }

        if (_old.TryGetValue(secret, out hash))
        {
            Remember(secret, hash);
            return true;
        }

        return false;
    }

    /// <summary>Remembers a secret whose session just passed its checks, and its hash.</summary>
    public void Remember(string secret, byte[] hash)
    {
        if (_young.TryAdd(secret, hash) && Interlocked.Increment(ref _youngCount) >= _generationSize)
        {
            Age(now: null);
        }
    }

    /// <summary>
    /// Ages the table when its young generation began half the idle timeout before <paramref name="now"/>,
    /// or, the wall clock having been set back, as far after it.
    /// </summary>
    public void AgeBy(DateTimeOffset now)
    {
        if (IsDue(now.UtcTicks))
        {
            Age(now.UtcTicks);
        }
    }

    /// <summary>Forgets a secret whose session has ended.</summary>
    public void Forget(string secret)
    {
        _young.TryRemove(secret, out _);
        _old.TryRemove(secret, out _);
    }

    /// <summary>How many secrets are remembered now (both generations; for tests).</summary>
    internal int Count => _young.Count + _old.Count;

    // A start in the future by more than a generation means the clock was set back (a wrong clock at
    // start, corrected since): waiting for it would keep secrets far past the idle timeout. A caller's
    // slightly older now (read before another request's) is within the margin and ages nothing.
    private bool IsDue(long now)
    {
        long elapsed = now - Volatile.Read(ref _youngSince);
        return elapsed >= _generationTicks || elapsed <= -_generationTicks;
    }

    // By count (now is null) or by time. A generation ended by count keeps its start time, so the next
    // one may age by time up to a whole generation early: that costs hashings, never an answer.
    private void Age(long? now)
    {
        lock (_aging)
        {
            // Another thread may have aged the table while this one waited.
            if (now is { } ticks ? !IsDue(ticks) : Volatile.Read(ref _youngCount) < _generationSize)
            {
                return;
            }

            _old = _young;
            _young = NewGeneration();
            Volatile.Write(ref _youngCount, 0);
            if (now is { } started)
            {
                Volatile.Write(ref _youngSince, started);
            }
        }
    }

    private static ConcurrentDictionary<string, byte[]> NewGeneration() => new(RandomizedOrdinal.Instance);

    // Ordinal equality, and the runtime's randomized hash (seeded per process) rather than the fixed
    // one the dictionary would choose for its default string comparer: no one can aim a cookie value
    // at the bucket of a remembered secret, where the text comparison (not constant-time) runs.
    private sealed class RandomizedOrdinal : IEqualityComparer<string>
    {
        public static readonly RandomizedOrdinal Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => obj.GetHashCode();
    }
}
