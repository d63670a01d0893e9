using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.RateLimiting;
using Tessera.Telemetry;
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
    private readonly TimeProvider _time;
    private readonly SecurityEvents _events;
    private readonly IUserStore? _users;

    /// <param name="signIn">The password check with its lockout.</param>
    /// <param name="accountLimiter">The per-account sign-in budget.</param>
    /// <param name="logger">Records refusals.</param>
    /// <param name="time">The clock (an administrator's lock ends on it).</param>
    /// <param name="events">Where sign-ins are counted and audited (<c>signin.succeeded</c>, <c>signin.failed</c>).</param>
    /// <param name="users">Names the account of a refused sign-in in its audit event; without it the event names the attempted name's digest only.</param>
    public PasswordCheck(PasswordSignIn signIn, AccountSignInLimiter accountLimiter, ILogger<AuthEndpointsLog> logger, TimeProvider time, SecurityEvents? events = null, IUserStore? users = null)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(accountLimiter);
        _signIn = signIn;
        _accountLimiter = accountLimiter;
        _logger = logger;
        _time = time;
        _events = events ?? SecurityEvents.MetricsOnly;
        _users = users;
    }

    /// <summary>Signs in by name and password: the user, or why not.</summary>
    public async ValueTask<PasswordCheckResult> SignInAsync(HttpContext http, string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        string client = ClientInfo.PartitionKey(http);
        PasswordCheckResult result;
        string? refusedAccountId = null;
        if (await AccountLimitAsync(username, client, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            result = limited;
        }
        else
        {
            Outcome<UserRecord> signedIn = await _signIn.SignInAsync(username, password, client, cancellationToken).ConfigureAwait(false);
            // Only with the password right is a disabled or locked account told apart: no oracle for guesses.
            result = !signedIn.Succeeded ? new PasswordCheckResult(null, signedIn.Error, null)
                : AccountStanding.SignInRefusal(signedIn.Value, Clock.Now(_time)) is { } refusal ? new PasswordCheckResult(null, refusal.Error, refusal.RetryAfter)
                : new PasswordCheckResult(signedIn.Value, null, null);
            // A disabled or locked account was found already: its refusal is audited without reading it again.
            refusedAccountId = signedIn.Succeeded && result.User is null ? signedIn.Value.Id : null;
        }

        await RecordAsync(username, result, refusedAccountId).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Counts and audits the sign-in. A refusal names the account by id when the name is an
    /// account's (one more indexed read, on the refused path only, for known and unknown names
    /// alike), otherwise by the digest of the normalized name: a name matching no account is often
    /// a password typed into the wrong field, so it is not written down.
    /// </summary>
    private async ValueTask RecordAsync(string username, PasswordCheckResult result, string? refusedAccountId)
    {
        if (result.User is { } user)
        {
            await _events.SignInSucceededAsync(user.Id).ConfigureAwait(false);
            return;
        }

        string normalized = UsernameRules.Normalize(username);
        string? userId = refusedAccountId;
        if (userId is null && _users is not null && _events.IsAuditing)
        {
            try
            {
                userId = (await _users.FindByNormalizedUsernameAsync(normalized, CancellationToken.None).ConfigureAwait(false))?.Id;
            }
            catch (Tessera.Stores.StoreUnavailableException)
            {
                // The refusal stands and is audited without the account.
            }
        }

        await _events.SignInFailedAsync(result.Error!.Code, userId, userId is null ? new PasswordLockout.Keys(normalized, "-").Account : null).ConfigureAwait(false);
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

    /// <summary>
    /// The problem+json answer of a refusal: 429 with <c>Retry-After</c>, or the error's own status
    /// (with <c>Retry-After</c> too when the wait is known: an account locked until a given time, RFC 9110 §10.2.3).
    /// </summary>
    public IResult Problem(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(Error);
        if (IsRateLimited)
        {
            return TesseraRateLimiting.Rejection(response, RetryAfter);
        }

        TesseraRateLimiting.SetRetryAfter(response, RetryAfter);
        return TesseraProblems.From(Error);
    }
}
