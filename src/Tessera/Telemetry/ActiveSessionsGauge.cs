using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tessera.Telemetry;

/// <summary>
/// The <c>tessera.sessions.active</c> gauge: the store's count of active sessions
/// (<see cref="IActiveSessionCount"/>), as of at most <see cref="RefreshInterval"/> ago. A scrape
/// never waits for the store: it reports the last count and, when that is stale, starts one
/// background count (never two at once) whose answer the next scrape reports. The count is the
/// store's, so in a cluster every instance reports the same store-wide number: aggregate it with
/// max or last, not sum. Nothing is reported before the first count, or when the store cannot count.
/// </summary>
public sealed partial class ActiveSessionsGauge : IDisposable
{
    /// <summary>How stale the reported count may get by default.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(30);

    // One instrument for the process: a static meter cannot drop an instrument, so the gauge reads
    // whichever counter is current (a process hosts one Tessera; tests start and stop several).
    private static readonly ObservableGauge<long> Gauge = TesseraTelemetry.Meter.CreateObservableGauge(
        "tessera.sessions.active", Observe, "{session}", "Active sessions in the session store (store-wide; refreshed at most every 30 s by default).");

    private static ActiveSessionsGauge? _current;

    private readonly IActiveSessionCount _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long? _count;
    private DateTimeOffset _countedAt = DateTimeOffset.MinValue;
    private bool _counting;

    /// <summary>Reports <paramref name="store"/>'s count from now on (replacing any earlier gauge source).</summary>
    public ActiveSessionsGauge(IActiveSessionCount store, TimeProvider time, TimeSpan? refreshInterval = null, ILogger<ActiveSessionsGauge>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        RefreshInterval = refreshInterval ?? DefaultRefreshInterval;
        _ = Gauge; // the instrument exists once something can feed it
        Volatile.Write(ref _current, this);
    }

    /// <summary>How old the reported count may be.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <summary>Stops reporting this store's count.</summary>
    public void Dispose() => Interlocked.CompareExchange(ref _current, null, this);

    /// <summary>Counts now, waiting for the store (start-up, tests); the gauge reports this count.</summary>
    public async ValueTask<long?> RefreshAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        try
        {
            long count = await _store.CountActiveSessionsAsync(now, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _count = count;
                _countedAt = now;
            }

            return count;
        }
#pragma warning disable CA1031 // A failed count leaves the last one reported; the next scrape tries again.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogCountFailed(_logger, ex);
            return null;
        }
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        ActiveSessionsGauge? gauge = Volatile.Read(ref _current);
        return gauge?.Read() is long count ? [new Measurement<long>(count)] : [];
    }

    private long? Read()
    {
        bool start;
        long? count;
        lock (_gate)
        {
            count = _count;
            start = !_counting && _time.GetUtcNow() - _countedAt >= RefreshInterval;
            _counting |= start;
        }

        if (start)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                    {
                        _counting = false;
                    }
                }
            });
        }

        return count;
    }

    [LoggerMessage(EventId = 9302, Level = LogLevel.Warning, Message = "The active-session count could not be read from the session store; the gauge keeps its last value")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
