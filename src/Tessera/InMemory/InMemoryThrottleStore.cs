using Microsoft.Extensions.Logging;
using Tessera.Throttling;

namespace Tessera.InMemory;

/// <summary>
/// Throttle counters in process memory: the default for one instance. Bounded: at most
/// <see cref="MaxEntries"/> counters. Ended windows are swept as the table grows; when it is full
/// of live windows (a flood of distinct client addresses or account names), the counters with the
/// lowest counts are evicted to make room, the soonest-ending first among equal counts.
/// </summary>
/// <remarks>
/// The trade-off when full: refusing new keys would lock every new client and account out for as
/// long as the flood lasts, so the store forgets instead. An evicted key starts again from zero: its
/// limit is weaker for the rest of its window, never stricter. The lowest counts go first: a flood
/// is made of fresh keys counted once, while the counter an attacker works on (a victim account's
/// password failures) was taken first and so ends soonest; evicting by end time alone would reset
/// exactly that one. Among equal counts the soonest-ending go, as they would be forgotten soonest anyway. Replay marks, which must never be
/// forgotten while live, are kept elsewhere (<see cref="InMemoryReplayStore"/> refuses when full).
/// </remarks>
public sealed partial class InMemoryThrottleStore : IThrottleStore
{
    /// <summary>The default bound: about 100 bytes a counter, so some 10 MB at most.</summary>
    public const int DefaultMaxEntries = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ThrottleCount> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private int _sweepAt = 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Replay.ReplayPurpose, InMemoryReplayStore> _marks = new();

    /// <summary>Counters in this process's memory, with windows timed by <paramref name="time"/>: enough for one instance; a cluster shares a store such as Redis's.</summary>
    public InMemoryThrottleStore(TimeProvider time)
        : this(time, DefaultMaxEntries)
    {
    }

    /// <summary>As <see cref="InMemoryThrottleStore(TimeProvider)"/>, holding at most <paramref name="maxEntries"/> counters; evictions of live ones are logged to <paramref name="logger"/>.</summary>
    public InMemoryThrottleStore(TimeProvider time, int maxEntries, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 8);
        _time = time;
        MaxEntries = maxEntries;
        _logger = logger;
    }

    /// <summary>The most counters held at once.</summary>
    public int MaxEntries { get; }

    /// <summary>Counters held now, live or ended but not yet swept.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _counters.Count;
            }
        }
    }

    /// <summary>Live counters evicted so far because the store was full.</summary>
    public long Evicted { get; private set; }

    /// <summary>
    /// The single-use marks of <paramref name="purpose"/> kept beside these counters
    /// (<see cref="Replay.ReplayStores.Over"/>): one store per throttle store and purpose, so every user
    /// of this store sees the same marks, kept apart from the counters because a mark must never be
    /// evicted while live, and apart from each other so a flood of DPoP proofs cannot fill the store
    /// of passkey challenges or client assertions.
    /// </summary>
    internal InMemoryReplayStore MarksFor(Replay.ReplayPurpose purpose) =>
        _marks.GetOrAdd(purpose, static (p, self) => new InMemoryReplayStore(self._time, InMemoryReplayStore.DefaultMaxEntriesFor(p), self._logger), this);

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
            bool known = _counters.TryGetValue(key, out ThrottleCount current);
            if (!known)
            {
                MakeRoom(now);
            }

            ThrottleCount next = known && current.WindowEndsAt > now
                ? current with { Count = current.Count + amount }
                : new ThrottleCount(amount, now + window);
            _counters[key] = next;
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

    // Before a new key goes in. Amortized: a sweep of ended windows runs when the table doubled since
    // the last one or reached the bound; at the bound it also evicts live counters until an eighth of
    // the table is free, so the next sweep is at least MaxEntries / 8 new keys away.
    private void MakeRoom(DateTimeOffset now)
    {
        if (_counters.Count < _sweepAt && _counters.Count < MaxEntries)
        {
            return;
        }

        foreach (KeyValuePair<string, ThrottleCount> entry in _counters.Where(e => e.Value.WindowEndsAt <= now).ToList())
        {
            _counters.Remove(entry.Key);
        }

        int target = MaxEntries - Math.Max(1, MaxEntries / 8);
        if (_counters.Count > target)
        {
            int evict = _counters.Count - target;
            foreach (KeyValuePair<string, ThrottleCount> entry in _counters.OrderBy(e => e.Value.Count).ThenBy(e => e.Value.WindowEndsAt).Take(evict).ToList())
            {
                _counters.Remove(entry.Key);
            }

            Evicted += evict;
            if (_logger is not null)
            {
                LogEvicted(_logger, evict, MaxEntries);
            }
        }

        _sweepAt = Math.Min(MaxEntries, Math.Max(1024, _counters.Count * 2));
    }

    [LoggerMessage(EventId = 9825, Level = LogLevel.Warning, Message = "The in-memory throttle store is full of live counters ({MaxEntries}): {Evicted} counters with the lowest counts were evicted and start again from zero. A flood of distinct client addresses or accounts, or a bound too low for the traffic.")]
    private static partial void LogEvicted(ILogger logger, int evicted, int maxEntries);
}
