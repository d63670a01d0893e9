using System.Collections.Concurrent;
using Tessera.Replay;

namespace Tessera.InMemory;

/// <summary>
/// Replay marks in this process's memory: enough for one instance. Behind a load balancer a mark
/// taken at one instance is unknown to the others; a shared store (PostgreSQL, Redis) closes that.
/// Bounded: when full of live marks it refuses new ones rather than forget a live one (fail closed,
/// <see cref="IReplayStore"/>'s rule); ended marks are swept first.
/// </summary>
public sealed class InMemoryReplayStore : IReplayStore
{
    /// <summary>More live marks than this in their few minutes is an attack, not traffic.</summary>
    public const int DefaultMaxEntries = 100_000;

    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _marks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _maxEntries;

    /// <summary>Marks timed by <paramref name="time"/>, at most <paramref name="maxEntries"/> live at once.</summary>
    public InMemoryReplayStore(TimeProvider time, int maxEntries = DefaultMaxEntries)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _time = time;
        _maxEntries = maxEntries;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryMark(key, lifetime));
    }

    private bool TryMark(string key, TimeSpan lifetime)
    {
        DateTimeOffset now = Clock.Now(_time);
        if (_marks.Count >= _maxEntries)
        {
            foreach (KeyValuePair<string, DateTimeOffset> entry in _marks)
            {
                if (entry.Value <= now)
                {
                    _marks.TryRemove(entry);
                }
            }

            if (_marks.Count >= _maxEntries)
            {
                return false;
            }
        }

        if (_marks.TryGetValue(key, out DateTimeOffset until) && until <= now)
        {
            // An ended mark may be taken again; removed only if nobody replaced it meanwhile.
            _marks.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        // Never shorter than a second: a shorter mark than asked for would be the unsafe direction.
        return _marks.TryAdd(key, now + (lifetime < Shortest ? Shortest : lifetime));
    }
}
