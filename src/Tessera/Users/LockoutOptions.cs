namespace Tessera.Users;

/// <summary>
/// How wrong passwords slow down further guesses. Failures are counted per account <b>and</b> client
/// (the caller's rate-limit partition), so an attacker elsewhere cannot lock the owner out; an
/// account-wide ceiling then keeps clients the account has never signed in from away. See
/// <see cref="PasswordLockout"/> for the reasoning (NIST SP 800-63B §5.2.2, OWASP ASVS 5.0 V6.1.1).
/// </summary>
public sealed record LockoutOptions
{
    /// <summary>
    /// Wrong passwords one client may send for one account before it has to wait; 0 turns waits
    /// and the account-wide ceiling off.
    /// </summary>
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>The wait after the <see cref="MaxFailedAttempts"/>-th failure; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two guesses of one client (NIST SP 800-63B §5.2.2: "30 seconds up to an hour").</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long failures are remembered: a fixed window opened by the first failure (per client, and
    /// account-wide). A right password clears the client's count at once.
    /// </summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Failures for one account from all clients within <see cref="FailureWindow"/> after which only
    /// a client that signed in to it within <see cref="KnownClientLifetime"/> may try; 0 turns this off.
    /// NIST SP 800-63B §5.2.2 caps consecutive failures at 100.
    /// </summary>
    public int AccountFailureLimit { get; init; } = 100;

    /// <summary>How long a right password makes its client "known" to the account.</summary>
    public TimeSpan KnownClientLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// When false (the default), a client that must wait is answered exactly like a wrong password, so
    /// a wait reveals neither the account's existence nor that a guess was right. When true, it is
    /// answered <c>account_locked</c>: friendlier, and still the same for unknown names.
    /// </summary>
    public bool RevealLockout { get; init; }

    /// <summary>Waits and the account-wide ceiling are on.</summary>
    public bool Enabled => MaxFailedAttempts > 0;

    /// <summary>What is wrong with these options, or null.</summary>
    public string? Problem() =>
        MaxFailedAttempts < 0 ? "MaxFailedAttempts must be 0 or more"
        : FirstDelay <= TimeSpan.Zero ? "FirstDelay must be positive"
        : MaxDelay < FirstDelay ? "MaxDelay must be at least FirstDelay"
        : FailureWindow < MaxDelay ? "FailureWindow must be at least MaxDelay"
        : AccountFailureLimit < 0 ? "AccountFailureLimit must be 0 or more"
        : AccountFailureLimit > 0 && AccountFailureLimit < MaxFailedAttempts ? "AccountFailureLimit must be 0 or at least MaxFailedAttempts"
        : KnownClientLifetime <= TimeSpan.Zero ? "KnownClientLifetime must be positive"
        : null;
}
