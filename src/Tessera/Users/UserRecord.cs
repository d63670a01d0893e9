namespace Tessera.Users;

/// <summary>
/// One account as stored. <see cref="PasswordHash"/> is a PHC string (it names its algorithm and
/// parameters); <see cref="FormatVersion"/> is the version of this record's stored layout.
/// </summary>
public sealed record UserRecord
{
    /// <summary>The layout version written by this code.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Random public id (128 bits, base64url).</summary>
    public required string Id { get; init; }

    /// <summary>The name as the user typed it, trimmed.</summary>
    public required string Username { get; init; }

    /// <summary>The unique key: <see cref="Username"/> normalized by <see cref="UsernameRules.Normalize"/>.</summary>
    public required string NormalizedUsername { get; init; }

    /// <summary>
    /// The password's Argon2id hash as a PHC string (never the password); <see cref="NoPassword"/>
    /// (empty) for a passwordless account that signs in with passkeys only.
    /// </summary>
    public required string PasswordHash { get; init; }

    /// <summary>The <see cref="PasswordHash"/> of an account without a password: no password verifies against it.</summary>
    public const string NoPassword = "";

    /// <summary>False for a passwordless account (<see cref="PasswordHash"/> is <see cref="NoPassword"/>).</summary>
    public bool HasPassword => PasswordHash.Length > 0;

    /// <summary>When the account was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Kept for stored rows and stores written before issue #14; lockout no longer reads or writes it
    /// (failures are counted per account and client in <see cref="Throttling.IThrottleStore"/>, see
    /// <see cref="PasswordLockout"/>).
    /// </summary>
    public int FailedSignInCount { get; init; }

    /// <summary>
    /// An administrator's lock: no new sign-in until then (<see cref="DateTimeOffset.MaxValue"/>: until
    /// unlocked); existing sessions go on. Set only by <see cref="UserAdministration"/>; failed
    /// passwords no longer set it (a persistent per-account lock let anyone lock anyone out, see
    /// <see cref="PasswordLockout"/>).
    /// </summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>When an administrator disabled the account (null: enabled). A disabled account cannot sign in, and disabling ended its sessions.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>Roles assigned by an administrator; access tokens carry them in <c>roles</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;
}
