using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.RateLimiting;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// The one way an endpoint checks a user's password: <c>POST /auth/session</c>, <c>POST /auth/token</c>,
/// <c>POST /oauth2/signin</c> and the current password of <c>POST /auth/password</c>. Each of those
/// endpoints carries the per-client limit (<see cref="TesseraRateLimiting.SignInPolicy"/>, one budget
/// for all of them); here come the per-account limit and <see cref="PasswordSignIn"/>'s lockout per
/// account and client, keyed by the caller's rate-limit partition (<see cref="ClientInfo.PartitionKey(Microsoft.AspNetCore.Http.HttpContext)"/>).
/// A client that recently signed in to the account skips the per-account limit: otherwise anyone
/// could keep the owner out by spending the account's budget (OWASP ASVS 5.0 V6.1.1).
/// </summary>
internal sealed class PasswordCheck
{
    private static readonly TesseraError RateLimited = new(TesseraErrorCodes.RateLimited, "Too many attempts; wait a little and try again.");

    private readonly PasswordSignIn _signIn;
    private readonly AccountSignInLimiter _accountLimiter;
    private readonly ILogger _logger;

    public PasswordCheck(PasswordSignIn signIn, AccountSignInLimiter accountLimiter, ILogger<AuthEndpointsLog> logger)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(accountLimiter);
        _signIn = signIn;
        _accountLimiter = accountLimiter;
        _logger = logger;
    }

    /// <summary>Signs in by name and password: the user, or why not.</summary>
    public async ValueTask<PasswordCheckResult> SignInAsync(HttpContext http, string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        string client = ClientInfo.PartitionKey(http);
        if (await AccountLimitAsync(username, client, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return limited;
        }

        Outcome<UserRecord> signedIn = await _signIn.SignInAsync(username, password, client, cancellationToken).ConfigureAwait(false);
        return signedIn.Succeeded ? new PasswordCheckResult(signedIn.Value, null, null) : new PasswordCheckResult(null, signedIn.Error, null);
    }

    /// <summary>Checks the current password of the signed-in <paramref name="user"/>: the same limits and counters as sign-in.</summary>
    public async ValueTask<PasswordCheckResult> ConfirmAsync(HttpContext http, UserRecord user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        string client = ClientInfo.PartitionKey(http);
        if (await AccountLimitAsync(user.NormalizedUsername, client, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return limited;
        }

        TesseraError? refused = await _signIn.ConfirmPasswordAsync(user, password, client, cancellationToken).ConfigureAwait(false);
        return new PasswordCheckResult(refused is null ? user : null, refused, null);
    }

    /// <summary>
    /// Takes one permit of the per-account budget for a registration of <paramref name="username"/>:
    /// asking whether a name is taken costs what a sign-in attempt on it costs. Null when granted.
    /// </summary>
    public async ValueTask<PasswordCheckResult?> TakeRegistrationPermitAsync(string username, CancellationToken cancellationToken) =>
        Refusal(await _accountLimiter.AcquireForRegistrationAsync(UsernameRules.Normalize(username), cancellationToken).ConfigureAwait(false));

    private async ValueTask<PasswordCheckResult?> AccountLimitAsync(string username, string client, CancellationToken cancellationToken) =>
        await _signIn.IsKnownClientAsync(username, client, cancellationToken).ConfigureAwait(false)
            ? null
            : Refusal(await _accountLimiter.AcquireAsync(UsernameRules.Normalize(username), cancellationToken).ConfigureAwait(false));

    private PasswordCheckResult? Refusal(RateLimitLease acquired)
    {
        using RateLimitLease lease = acquired;
        if (lease.IsAcquired)
        {
            return null;
        }

        AuthEndpointsLog.AccountRateLimited(_logger);
        return new PasswordCheckResult(null, RateLimited, lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : null);
    }
}

/// <summary>The user whose password was right, or the error (with <see cref="RetryAfter"/> when it is a rate limit).</summary>
internal readonly record struct PasswordCheckResult(UserRecord? User, TesseraError? Error, TimeSpan? RetryAfter)
{
    public bool IsRateLimited => string.Equals(Error?.Code, TesseraErrorCodes.RateLimited, StringComparison.Ordinal);

    /// <summary>The problem+json answer of a refusal: 429 with <c>Retry-After</c>, or the error's own status.</summary>
    public IResult Problem(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(Error);
        return IsRateLimited ? TesseraRateLimiting.Rejection(response, RetryAfter) : TesseraProblems.From(Error);
    }
}
