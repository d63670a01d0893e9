namespace Tessera.Users;

/// <summary>How repeated wrong passwords lock an account.</summary>
public sealed record LockoutOptions
{
    /// <summary>Wrong passwords in a row that lock the account; 0 turns lockout off.</summary>
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When false (the default), a locked account answers exactly like a wrong password, so lockout
    /// reveals neither the account's existence nor that a guess was right. When true, sign-in to a
    /// locked account answers <c>account_locked</c>: friendlier, but it tells an attacker the
    /// account exists.
    /// </summary>
    public bool RevealLockout { get; init; }
}
