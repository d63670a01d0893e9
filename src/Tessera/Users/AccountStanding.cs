namespace Tessera.Users;

/// <summary>
/// Whether an account whose password was just verified may sign in now: not when an administrator
/// disabled it (<see cref="UserRecord.DisabledAt"/>) or locked it (<see cref="UserRecord.LockedUntil"/>).
/// Asked only after the password was right, so these answers reveal nothing to someone guessing
/// passwords: a wrong password on a disabled account is refused like any other.
/// </summary>
public static class AccountStanding
{
    /// <summary>Why <paramref name="user"/> may not sign in at <paramref name="now"/>, or null when it may.</summary>
    public static AccountRefusal? SignInRefusal(UserRecord user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.DisabledAt is not null)
        {
            return new AccountRefusal(new TesseraError(TesseraErrorCodes.AccountDisabled, "This account is disabled; an administrator can enable it again."), null);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            // DateTimeOffset.MaxValue: locked until an administrator unlocks it, so no time to wait for.
            return until == DateTimeOffset.MaxValue
                ? new AccountRefusal(new TesseraError(TesseraErrorCodes.AccountLocked, "This account is locked until an administrator unlocks it."), null)
                : new AccountRefusal(new TesseraError(TesseraErrorCodes.AccountLocked, $"This account is locked until {until:O}."), until - now);
        }

        return null;
    }
}

/// <summary>Why an account may not sign in, and how long until it may again when that is known (a timed lock).</summary>
public sealed record AccountRefusal(TesseraError Error, TimeSpan? RetryAfter);
