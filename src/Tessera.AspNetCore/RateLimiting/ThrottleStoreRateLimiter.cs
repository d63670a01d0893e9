using System.Threading.RateLimiting;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>
/// One partition of a fixed-window limit (one client address of one policy) whose count lives in
/// <see cref="ThrottleLimits"/>' store, so every instance sharing that store shares the budget.
/// </summary>
/// <remarks>
/// A synchronous <see cref="AttemptAcquireCore"/> cannot ask a remote store, so it answers "not
/// acquired" without a Retry-After; ASP.NET Core's rate-limiting middleware then calls
/// <see cref="AcquireAsyncCore"/>, which counts. The RedisRateLimiting package (cristipufu) relies
/// on the same sequence. The limiter itself holds no count: the partitioned limiter may drop and
/// recreate it at will (it is dropped once idle, see <see cref="IdleDuration"/>).
/// </remarks>
internal sealed class ThrottleStoreRateLimiter(ThrottleLimits limits, string key, FixedWindowLimit limit, TimeProvider time) : RateLimiter
{
    private long _lastUsed = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => ThrottleLease.NotAttempted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        return await limits.AcquireAsync(key, limit, permitCount, cancellationToken).ConfigureAwait(false);
    }
}
