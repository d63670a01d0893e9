using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tessera.Replay;

namespace Tessera.InMemory;

/// <summary>
/// Replay marks in this process's memory: enough for one instance. Behind a load balancer a mark
/// taken at one instance is unknown to the others; a shared store (PostgreSQL, Redis) closes that.
/// Bounded: when full of live marks it refuses new ones rather than forget a live one (fail closed,
/// <see cref="IReplayStore"/>'s rule); ended marks are swept first, at most once a second.
/// </summary>
public sealed partial class InMemoryReplayStore : IReplayStore
{
    /// <summary>More live marks than this in their few minutes is an attack, not traffic.</summary>
    public const int DefaultMaxEntries = 100_000;

    /// <summary>
    /// The bound of the DPoP store: a proof costs its sender nothing (self-signed, and a signed-in user
    /// can send one with every resource request), so filling it must take a sustained flood of about
    /// 1,000,000 proofs within their few minutes. A mark is about 200 bytes (a 52-character key string
    /// of ~130 bytes, a dictionary node of ~56 and its bucket share), so some 200 MB when full.
    /// </summary>
    public const int DefaultDpopMaxEntries = 1_000_000;

    // A full store sweeps ended marks at most this often: a sweep walks every mark, and a flood
    // arriving at a full store must not make every call pay for one.
    private static readonly long SweepIntervalTicks = TimeSpan.FromSeconds(1).Ticks;

    private static readonly long WarnIntervalTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _marks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly ILogger? _logger;
    private readonly Lock _sweepGate = new();
    private long _nextSweepTicks;
    private long _nextWarnTicks;
    private long _refused;

    /// <summary>Marks timed by <paramref name="time"/>, at most <paramref name="maxEntries"/> live at once; refusals because full are logged to <paramref name="logger"/>.</summary>
    public InMemoryReplayStore(TimeProvider time, int maxEntries = DefaultMaxEntries, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _time = time;
        _maxEntries = maxEntries;
        _logger = logger;
    }

    /// <summary>Marks refused so far because the store was full of live ones.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The default bound of the store of <paramref name="purpose"/>'s marks.</summary>
    public static int DefaultMaxEntriesFor(ReplayPurpose purpose) =>
        purpose == ReplayPurpose.Dpop ? DefaultDpopMaxEntries : DefaultMaxEntries;

    /// <inheritdoc />
    public ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        TimeSpan checkedLifetime = ReplayMarkLifetime.Of(key, lifetime);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryMark(key, checkedLifetime));
    }

    private bool TryMark(string key, TimeSpan lifetime)
    {
        DateTimeOffset now = Clock.Now(_time);
        if (_marks.Count >= _maxEntries && !SweptRoom(now))
        {
            Refuse(key, now);
            return false;
        }

        if (_marks.TryGetValue(key, out DateTimeOffset until) && until <= now)
        {
            // An ended mark may be taken again; removed only if nobody replaced it meanwhile.
            _marks.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        return _marks.TryAdd(key, now + lifetime);
    }

    // Sweeps ended marks if no sweep ran within the last second; true when there is room afterwards.
    private bool SweptRoom(DateTimeOffset now)
    {
        lock (_sweepGate)
        {
            if (now.UtcTicks >= _nextSweepTicks)
            {
                _nextSweepTicks = now.UtcTicks + SweepIntervalTicks;
                foreach (KeyValuePair<string, DateTimeOffset> entry in _marks)
                {
                    if (entry.Value <= now)
                    {
                        _marks.TryRemove(entry);
                    }
                }
            }
        }

        return _marks.Count < _maxEntries;
    }

    private void Refuse(string key, DateTimeOffset now)
    {
        long refused = Interlocked.Increment(ref _refused);
        long next = Interlocked.Read(ref _nextWarnTicks);
        if (_logger is not null && now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextWarnTicks, now.UtcTicks + WarnIntervalTicks, next) == next)
        {
            // The prefix only (e.g. "dpop-jti"): it names the kind of mark; the rest is a hash and says nothing useful.
            int colon = key.IndexOf(':', StringComparison.Ordinal);
            LogFull(_logger, _maxEntries, colon > 0 ? key[..colon] : "mark", refused);
        }
    }

    [LoggerMessage(EventId = 9826, Level = LogLevel.Warning, Message = "An in-memory replay store is full of live marks ({MaxEntries}): a new {Kind} mark was refused, so its request is refused (fail closed; {Refused} refused so far, logged at most once a minute). A flood of single-use tokens (DPoP proofs, client assertions), or a bound too low for the traffic; a shared store (PostgreSQL, Redis) has no such bound.")]
    private static partial void LogFull(ILogger logger, int maxEntries, string kind, long refused);
}
