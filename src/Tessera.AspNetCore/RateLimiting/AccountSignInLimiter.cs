using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>
/// Sign-in attempts per account name. The name is only known once the body is read, after the
/// rate-limiting middleware ran, so the endpoint asks this limiter itself. Unknown names are
/// limited like real ones: the answer must not tell them apart. Counted in the throttle store
/// (<see cref="ThrottleLimits"/>), so a cluster sharing Redis shares one budget per account.
/// </summary>
public sealed class AccountSignInLimiter(IOptions<TesseraRateLimitOptions> options, ThrottleLimits limits)
{
    /// <summary>Put before the normalized name to make the counter's key.</summary>
    public const string KeyPrefix = "rate:sign-in-account:";

    /// <summary>Takes one permit for <paramref name="normalizedUsername"/>; the lease says whether it was granted.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedUsername);
        return limits.AcquireAsync(KeyPrefix + normalizedUsername, options.Value.SignInPerAccount, 1, cancellationToken);
    }

    /// <summary>
    /// Takes one permit of the same budget for a registration of <paramref name="normalizedUsername"/>
    /// (asking whether a name is taken costs what a sign-in attempt costs). While the shared store is
    /// down it counts on this instance, as the registration limit itself does: registration guesses no
    /// password, so it keeps working rather than answer 503.
    /// </summary>
    public ValueTask<RateLimitLease> AcquireForRegistrationAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedUsername);
        FixedWindowLimit signIn = options.Value.SignInPerAccount;
        var limit = new FixedWindowLimit { PermitLimit = signIn.PermitLimit, Window = signIn.Window, WhenStoreUnavailable = ThrottleStoreOutage.CountLocally };
        return limits.AcquireAsync(KeyPrefix + normalizedUsername, limit, 1, cancellationToken);
    }
}
