using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Passwords;

namespace Tessera.Users;

/// <summary>
/// Checks a username and password. An unknown account, a locked account and a wrong password take
/// the same work (one Argon2id verification) and, unless <see cref="LockoutOptions.RevealLockout"/>
/// is on, give the same answer, so the response tells an attacker nothing about which it was.
/// </summary>
public sealed partial class PasswordSignIn
{
    private readonly IUserStore _users;
    private readonly IPasswordHasher _hasher;
    private readonly LockoutOptions _lockout;
    private readonly TimeProvider _time;
    private readonly Lazy<string> _decoyHash;
    private readonly ILogger _logger;

    public PasswordSignIn(IUserStore users, IPasswordHasher hasher, LockoutOptions lockout, TimeProvider time, ILogger<PasswordSignIn>? logger = null)
    {
        _logger = logger ?? NullLogger<PasswordSignIn>.Instance;
        _users = users;
        _hasher = hasher;
        _lockout = lockout;
        _time = time;
        // Verified against when there is no real hash to check, so every path costs one verification.
        _decoyHash = new Lazy<string>(() => _hasher.Hash(RandomIds.New128()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async ValueTask<Outcome<UserRecord>> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);

        UserRecord? user = await _users.FindByNormalizedUsernameAsync(UsernameRules.Normalize(username), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            _hasher.Verify(password, _decoyHash.Value);
            return InvalidCredentials();
        }

        DateTimeOffset now = Clock.Now(_time);
        PasswordVerification verification = _hasher.Verify(password, user.PasswordHash);

        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            // The verification above still ran: a locked account costs what a wrong password costs,
            // and a right password during lockout is not revealed.
            return _lockout.RevealLockout
                ? Outcome.Failure<UserRecord>(TesseraErrorCodes.AccountLocked, "This account is locked for a while after repeated failed sign-ins.")
                : InvalidCredentials();
        }

        if (verification == PasswordVerification.Failed)
        {
            await RecordFailureAsync(user, now, cancellationToken).ConfigureAwait(false);
            return InvalidCredentials();
        }

        if (user.FailedSignInCount != 0 || user.LockedUntil is not null)
        {
            await _users.SetLockoutAsync(user.Id, null, cancellationToken).ConfigureAwait(false);
            user = user with { FailedSignInCount = 0, LockedUntil = null };
        }

        if (verification == PasswordVerification.SucceededRehashNeeded)
        {
            string upgraded = _hasher.Hash(password);
            await _users.UpdatePasswordHashAsync(user.Id, upgraded, cancellationToken).ConfigureAwait(false);
            user = user with { PasswordHash = upgraded };
            LogRehashed(_logger, user.Id);
        }

        return Outcome.Success(user);
    }

    private async ValueTask RecordFailureAsync(UserRecord user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lockout.MaxFailedAttempts <= 0)
        {
            return;
        }

        int failures = await _users.IncrementFailedSignInsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (failures >= _lockout.MaxFailedAttempts)
        {
            await _users.SetLockoutAsync(user.Id, now + _lockout.Duration, cancellationToken).ConfigureAwait(false);
            LogLocked(_logger, user.Id, failures, now + _lockout.Duration);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Account {UserId} locked after {Failures} failed sign-ins, until {LockedUntil:O}")]
    private static partial void LogLocked(ILogger logger, string userId, int failures, DateTimeOffset lockedUntil);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Password hash of account {UserId} upgraded to the current parameters")]
    private static partial void LogRehashed(ILogger logger, string userId);

    private static Outcome<UserRecord> InvalidCredentials() =>
        Outcome.Failure<UserRecord>(TesseraErrorCodes.InvalidCredentials, "The username or password is incorrect.");
}
