namespace Tessera.Throttling;

/// <summary>
/// Fixed-window counters for rate limits and failure counts. Every instance that shares one store
/// (Redis in a cluster) shares the counts, so N instances do not give a client N times the budget;
/// the in-memory store counts for one process. A key is opaque to the store: callers build it from
/// a purpose and a partition (account, client address) and must not put a secret in it.
/// </summary>
public interface IThrottleStore
{
    /// <summary>
    /// Adds <paramref name="amount"/> to the counter under <paramref name="key"/> atomically. The
    /// first increment opens a window of <paramref name="window"/>; later increments in that window
    /// add to it without extending it. Returns the count after the increment.
    /// </summary>
    ValueTask<ThrottleCount> IncrementAsync(string key, TimeSpan window, long amount, CancellationToken cancellationToken);

    /// <summary>Reads the counter without changing it (0 when absent or its window ended).</summary>
    ValueTask<ThrottleCount> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the counter (e.g. the failures of an account after a right password).</summary>
    ValueTask ResetAsync(string key, CancellationToken cancellationToken);
}
