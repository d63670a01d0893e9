using Tessera.Throttling;

namespace Tessera.InMemory;

/// <summary>
/// Throttle counters in process memory: the default for one instance. Ended windows are swept as
/// the table grows, so distinct keys sent by an attacker cost memory only for their window.
/// </summary>
public sealed class InMemoryThrottleStore : IThrottleStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ThrottleCount> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _sweepAt = 1024;

    /// <summary>Counters in this process's memory, with windows timed by <paramref name="time"/>: enough for one instance; a cluster shares a store such as Redis's.</summary>
    public InMemoryThrottleStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask<ThrottleCount> IncrementAsync(string key, TimeSpan window, long amount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = Clock.Now(_time);
        lock (_gate)
        {
            ThrottleCount next = _counters.TryGetValue(key, out ThrottleCount current) && current.WindowEndsAt > now
                ? current with { Count = current.Count + amount }
                : new ThrottleCount(amount, now + window);
            _counters[key] = next;
            SweepIfLarge(now);
            return ValueTask.FromResult(next);
        }
    }

    /// <inheritdoc />
    public ValueTask<ThrottleCount> ReadAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = Clock.Now(_time);
        lock (_gate)
        {
            return ValueTask.FromResult(_counters.TryGetValue(key, out ThrottleCount current) && current.WindowEndsAt > now ? current : ThrottleCount.None(now));
        }
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _counters.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    // Amortized: a sweep runs when the table doubles since the last one.
    private void SweepIfLarge(DateTimeOffset now)
    {
        if (_counters.Count < _sweepAt)
        {
            return;
        }

        foreach (KeyValuePair<string, ThrottleCount> entry in _counters.Where(e => e.Value.WindowEndsAt <= now).ToList())
        {
            _counters.Remove(entry.Key);
        }

        _sweepAt = Math.Max(1024, _counters.Count * 2);
    }
}
