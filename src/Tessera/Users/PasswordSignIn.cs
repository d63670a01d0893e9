using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Passwords;
using Tessera.Telemetry;
using Tessera.Throttling;

namespace Tessera.Users;

/// <summary>
/// The one place a password is checked: sign-in by name and password, and the current password a
/// signed-in user confirms (password change). Both go through <see cref="PasswordLockout"/> with the
/// same counters. An unknown account, a client that must wait and a wrong password take the same
/// work (one Argon2id verification) and, unless <see cref="LockoutOptions.RevealLockout"/> is on,
/// give the same answer, so the response tells an attacker nothing about which it was; a right
/// password during a wait is not revealed either.
/// </summary>
public sealed partial class PasswordSignIn
{
    private readonly IUserStore _users;
    private readonly IPasswordHasher _hasher;
    private readonly PasswordLockout _lockout;
    private readonly Lazy<string> _decoyHash;
    private readonly ILogger _logger;

    /// <summary>Password sign-in against <paramref name="users"/>, hashing with <paramref name="hasher"/>, counting failures in <paramref name="throttle"/> with the thresholds of <paramref name="lockout"/>.</summary>
    /// <param name="users">Where accounts are found.</param>
    /// <param name="hasher">Verifies (and upgrades) password hashes.</param>
    /// <param name="throttle">Where the lockout's counters live.</param>
    /// <param name="lockout">The lockout's thresholds and delays.</param>
    /// <param name="logger">Records hash upgrades and lockouts.</param>
    /// <param name="events">Where a lockout that starts is counted and audited.</param>
    public PasswordSignIn(IUserStore users, IPasswordHasher hasher, IThrottleStore throttle, LockoutOptions lockout, ILogger<PasswordSignIn>? logger = null, SecurityEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(hasher);
        _logger = logger ?? NullLogger<PasswordSignIn>.Instance;
        _users = users;
        _hasher = hasher;
        _lockout = new PasswordLockout(throttle, lockout, _logger, events);
        // Verified against when there is no real hash to check, so every path costs one verification.
        _decoyHash = new Lazy<string>(() => _hasher.Hash(RandomIds.New128()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Signs in <paramref name="username"/> from <paramref name="client"/> (the caller's rate-limit
    /// partition). Fails with <c>invalid_credentials</c>, or <c>account_locked</c> when the client
    /// must wait and <see cref="LockoutOptions.RevealLockout"/> is on.
    /// </summary>
    public async ValueTask<Outcome<UserRecord>> SignInAsync(string username, string password, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);

        string normalized = UsernameRules.Normalize(username);
        UserRecord? user = await _users.FindByNormalizedUsernameAsync(normalized, cancellationToken).ConfigureAwait(false);
        Outcome<PasswordVerification> checkedPassword = await CheckAsync(normalized, user?.PasswordHash, password, client, user?.Id, cancellationToken).ConfigureAwait(false);
        if (!checkedPassword.Succeeded)
        {
            return Outcome.Failure<UserRecord>(checkedPassword.Error);
        }

        if (checkedPassword.Value == PasswordVerification.SucceededRehashNeeded)
        {
            string upgraded = await _hasher.HashAsync(password, cancellationToken).ConfigureAwait(false);
            await _users.UpdatePasswordHashAsync(user!.Id, upgraded, cancellationToken).ConfigureAwait(false);
            user = user with { PasswordHash = upgraded };
            LogRehashed(_logger, user.Id);
        }

        return Outcome.Success(user!);
    }

    /// <summary>
    /// Checks the current password of a signed-in <paramref name="user"/> (before a password change):
    /// the same limits, counters and answers as <see cref="SignInAsync"/>, so a stolen session is no
    /// better a password oracle than the sign-in form.
    /// </summary>
    public async ValueTask<TesseraError?> ConfirmPasswordAsync(UserRecord user, string password, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        Outcome<PasswordVerification> checkedPassword = await CheckAsync(user.NormalizedUsername, user.PasswordHash, password, client, user.Id, cancellationToken).ConfigureAwait(false);
        return checkedPassword.Succeeded ? null : checkedPassword.Error;
    }

    /// <summary>Whether <paramref name="client"/> signed in to <paramref name="username"/> recently (see <see cref="PasswordLockout.IsKnownClientAsync"/>).</summary>
    public ValueTask<bool> IsKnownClientAsync(string username, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        return _lockout.IsKnownClientAsync(UsernameRules.Normalize(username), client, cancellationToken);
    }

    private async ValueTask<Outcome<PasswordVerification>> CheckAsync(string normalizedUsername, string? storedHash, string password, string client, string? userId, CancellationToken cancellationToken)
    {
        // A passwordless account (UserRecord.NoPassword) is checked like an unknown one: the decoy
        // hash is verified and the answer is invalid_credentials, the same work and answer as a wrong password.
        if (string.IsNullOrEmpty(storedHash))
        {
            storedHash = null;
        }

        PasswordAttempt attempt = await _lockout.BeginAsync(normalizedUsername, client, cancellationToken).ConfigureAwait(false) with { UserId = userId };
        PasswordVerification verification;
        try
        {
            // Always one verification, whatever the account and the lockout say: the same work for
            // an unknown name, a waiting client and a wrong password.
            verification = await _hasher.VerifyAsync(password, storedHash ?? _decoyHash.Value, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _lockout.AbandonAsync(attempt).ConfigureAwait(false);
            throw;
        }

        if (attempt.Locked)
        {
            return _lockout.Options.RevealLockout
                ? Outcome.Failure<PasswordVerification>(TesseraErrorCodes.AccountLocked, "Too many wrong passwords from here: wait a while before trying again.")
                : InvalidCredentials();
        }

        // The verification is done: its bookkeeping finishes even if the caller goes away now, or an
        // aborted request would leave the failure uncounted and the client's slot held.
        if (storedHash is null || verification == PasswordVerification.Failed)
        {
            await _lockout.FailedAsync(attempt, CancellationToken.None).ConfigureAwait(false);
            return InvalidCredentials();
        }

        await _lockout.SucceededAsync(attempt, CancellationToken.None).ConfigureAwait(false);
        return Outcome.Success(verification);
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Password hash of account {UserId} upgraded to the current parameters")]
    private static partial void LogRehashed(ILogger logger, string userId);

    private static Outcome<PasswordVerification> InvalidCredentials() =>
        Outcome.Failure<PasswordVerification>(TesseraErrorCodes.InvalidCredentials, "The username or password is incorrect.");
}
