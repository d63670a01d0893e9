using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Tessera.InMemory;
using Tessera.Stores;
using Tessera.Throttling;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>
/// Fixed-window limits counted in the <see cref="IThrottleStore"/>: in memory for one instance,
/// in Redis for a cluster, where every instance spends from one budget. Each attempt adds one to
/// the window's count (a refused one too, which changes nothing within a fixed window), and is
/// granted while the count is within the limit; a refusal carries the time left in the window.
/// </summary>
public sealed partial class ThrottleLimits
{
    private readonly IThrottleStore _store;
    private readonly InMemoryThrottleStore _local;
    private readonly TimeProvider _time;
    private readonly ILogger<ThrottleLimits> _logger;
    private int _countingLocally;

    /// <summary>Limits counted in <paramref name="store"/> (shared by every instance when it is), timed by <paramref name="time"/>; <paramref name="logger"/> reports a store outage.</summary>
    public ThrottleLimits(IThrottleStore store, TimeProvider time, ILogger<ThrottleLimits> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _logger = logger;
        _local = new InMemoryThrottleStore(time);
    }

    /// <summary>
    /// Spends <paramref name="permits"/> from the window under <paramref name="key"/>. When the store
    /// is unreachable, <see cref="FixedWindowLimit.WhenStoreUnavailable"/> decides: the
    /// <see cref="StoreUnavailableException"/> goes on (503), or this instance counts on its own.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string key, FixedWindowLimit limit, int permits, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(limit);
        ThrottleCount count;
        try
        {
            count = await _store.IncrementAsync(key, limit.Window, permits, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _countingLocally) == 1 && Interlocked.Exchange(ref _countingLocally, 0) == 1)
            {
                LogSharedCountsAgain(_logger);
            }
        }
        catch (StoreUnavailableException ex) when (limit.WhenStoreUnavailable == ThrottleStoreOutage.CountLocally)
        {
            // Logged once per outage, not once per request.
            if (Interlocked.Exchange(ref _countingLocally, 1) == 0)
            {
                LogCountingLocally(_logger, ex);
            }

            count = await _local.IncrementAsync(key, limit.Window, permits, cancellationToken).ConfigureAwait(false);
        }

        if (count.Count <= limit.PermitLimit)
        {
            return ThrottleLease.Granted;
        }

        TimeSpan left = count.WindowEndsAt - _time.GetUtcNow();
        return new ThrottleLease(false, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "The shared rate-limit store is unavailable: limits that allow it are counted by this instance alone until it answers again; the others refuse with 503")]
    private static partial void LogCountingLocally(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "The shared rate-limit store answers again: limits are counted for the whole cluster")]
    private static partial void LogSharedCountsAgain(ILogger logger);
}
