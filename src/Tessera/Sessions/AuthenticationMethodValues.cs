namespace Tessera.Sessions;

/// <summary>
/// Authentication method reference values (RFC 8176 §2, the IANA "Authentication Method Reference
/// Values" registry) that Tessera records on a session (<see cref="SessionRecord.AuthenticationMethods"/>)
/// and puts in the ID token's <c>amr</c> (OpenID Connect Core §2).
/// </summary>
public static class AuthenticationMethodValues
{
    /// <summary>A password (<c>pwd</c>).</summary>
    public const string Password = "pwd";

    /// <summary>Proof of possession of a hardware-secured key (<c>hwk</c>): a device-bound passkey.</summary>
    public const string HardwareKey = "hwk";

    /// <summary>Proof of possession of a software-secured key (<c>swk</c>): a synced passkey (backup eligible).</summary>
    public const string SoftwareKey = "swk";

    /// <summary>User presence test (<c>user</c>).</summary>
    public const string UserPresence = "user";

    /// <summary>Multiple-factor authentication (<c>mfa</c>): a passkey with user verification is possession plus a PIN or biometric.</summary>
    public const string MultiFactor = "mfa";

    /// <summary>
    /// The values of a passkey sign-in with user verification (WebAuthn Level 3 §6.2.3): the key
    /// (<c>swk</c> when the credential is backup eligible, i.e. may be synced; <c>hwk</c> otherwise),
    /// user presence, and <c>mfa</c>.
    /// </summary>
    public static string Passkey(bool backupEligible) =>
        (backupEligible ? SoftwareKey : HardwareKey) + " " + UserPresence + " " + MultiFactor;

    /// <summary>The values of <paramref name="recorded"/> (a session's <see cref="SessionRecord.AuthenticationMethods"/>); <c>[pwd]</c> when null.</summary>
    public static IReadOnlyList<string> Split(string? recorded) =>
        string.IsNullOrWhiteSpace(recorded) ? [Password] : recorded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
