using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>
/// Sign-in attempts per account name. The name is only known once the body is read, after the
/// rate-limiting middleware ran, so the endpoint asks this limiter itself. Unknown names are
/// limited like real ones: the answer must not tell them apart.
/// </summary>
public sealed class AccountSignInLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccountSignInLimiter(IOptions<TesseraRateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FixedWindowLimit limit = options.Value.SignInPerAccount;
        _limiter = PartitionedRateLimiter.Create<string, string>(
            account => RateLimitPartition.GetFixedWindowLimiter(account, _ => TesseraRateLimiting.Options(limit)),
            StringComparer.Ordinal);
    }

    /// <summary>Takes one permit for <paramref name="normalizedUsername"/>; the lease says whether it was granted.</summary>
    public RateLimitLease Acquire(string normalizedUsername) => _limiter.AttemptAcquire(normalizedUsername);

    public void Dispose() => _limiter.Dispose();
}
