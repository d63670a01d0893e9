namespace Tessera.Passkeys;

/// <summary>
/// The audited passkey events (<see cref="Audit.AuditEvent.Type"/>) beside the general ones of
/// <see cref="Audit.AuditEventTypes"/>; a passkey sign-in itself is <c>signin.succeeded</c> /
/// <c>signin.failed</c> with <see cref="Audit.AuditEvent.Detail"/> <see cref="Method"/>.
/// </summary>
public static class PasskeyAuditEventTypes
{
    /// <summary>The sign-in method a passkey sign-in is audited with (<see cref="Audit.AuditEvent.Detail"/>).</summary>
    public const string Method = "passkey";

    /// <summary>A user registered a passkey; <see cref="Audit.AuditEvent.Detail"/> holds its credential id.</summary>
    public const string Registered = "passkey.registered";

    /// <summary>A passkey was removed, by its user or an admin; <see cref="Audit.AuditEvent.Detail"/> holds its credential id.</summary>
    public const string Removed = "passkey.removed";

    /// <summary>
    /// An assertion came with a signature counter that did not advance (WebAuthn §6.1.1): a sign that
    /// the authenticator may have been cloned. The sign-in was refused.
    /// </summary>
    public const string CloneSuspected = "passkey.clone_suspected";

    /// <summary>A user removed their password: the account signs in with passkeys only.</summary>
    public const string PasswordRemoved = "password.removed";
}
