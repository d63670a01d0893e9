using System.Text.Json;
using Tessera.Passkeys;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// The options of a ceremony and its opaque state. <c>options</c> is the WebAuthn Level 3
/// <c>PublicKeyCredentialCreationOptionsJSON</c> or <c>PublicKeyCredentialRequestOptionsJSON</c>
/// (§5.1.3, §5.1.4: base64url <c>challenge</c>, <c>user.id</c> and credential ids), ready for
/// <c>PublicKeyCredential.parseCreationOptionsFromJSON</c> / <c>parseRequestOptionsFromJSON</c>.
/// </summary>
/// <param name="Options">The options for <c>navigator.credentials.create()</c> or <c>.get()</c>.</param>
/// <param name="State">Posted back with the response; valid five minutes, once.</param>
public sealed record PasskeyOptionsResponse(JsonElement Options, string State);

/// <summary><c>POST /auth/passkeys/registration</c>: the state, <c>credential.toJSON()</c> of the new credential, and an optional name.</summary>
/// <param name="State">The state of the registration options.</param>
/// <param name="Credential">The <c>RegistrationResponseJSON</c> (WebAuthn L3 §5.1).</param>
/// <param name="Name">What the user calls it (at most 64 characters); a default when absent.</param>
public sealed record PasskeyRegistrationRequest(string? State, JsonElement Credential, string? Name = null)
{
    /// <summary>The name only: the state carries the ceremony's challenge and never reaches a log.</summary>
    public override string ToString() => $"PasskeyRegistrationRequest {{ Name = {Name} }}";
}

/// <summary>
/// <c>POST /auth/session/passkey</c> and <c>/auth/token/passkey</c>: the state and <c>credential.toJSON()</c>
/// of the assertion. <c>rememberMe</c> as for <c>POST /auth/session</c>.
/// </summary>
/// <param name="State">The state of the sign-in options.</param>
/// <param name="Credential">The <c>AuthenticationResponseJSON</c> (WebAuthn L3 §5.1).</param>
/// <param name="RememberMe">Asks a cookie sign-in for a persistent cookie, where the host allows it.</param>
public sealed record PasskeySignInRequest(string? State, JsonElement Credential, bool? RememberMe = null)
{
    /// <summary>Nothing of the state or the assertion: both are single-use credentials and never reach a log.</summary>
    public override string ToString() => $"PasskeySignInRequest {{ RememberMe = {RememberMe} }}";
}

/// <summary><c>PATCH /auth/passkeys/{id}</c>: the new name.</summary>
/// <param name="Name">At most 64 characters, not blank.</param>
public sealed record PasskeyRenameRequest(string? Name);

/// <summary><c>DELETE /auth/password</c>: the current password, confirmed before the account becomes passwordless.</summary>
/// <param name="CurrentPassword">The account's current password.</param>
public sealed record PasswordRemovalRequest(string? CurrentPassword)
{
    // Records print their members; a password must never reach a log through ToString.
    /// <summary>Never prints the password.</summary>
    public override string ToString() => "PasswordRemovalRequest { CurrentPassword = *** }";
}

/// <summary>
/// A passkey as its owner (or an admin) sees it; nothing here is secret. <c>synced</c> is
/// <c>backedUp</c>: the key lives in a provider that syncs it between devices.
/// </summary>
/// <param name="Id">The credential id, base64url (the path parameter of PATCH and DELETE).</param>
/// <param name="Name">The user's name for it.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="LastUsedAt">When it last signed in; null before its first use.</param>
/// <param name="BackupEligible">The BE flag (fixed at registration): it may be synced.</param>
/// <param name="BackedUp">The BS flag at the last use: it is synced now.</param>
/// <param name="Synced">The same as <paramref name="BackedUp"/>, named for a list.</param>
/// <param name="Transports">The transports the browser reported (<c>internal</c>, <c>hybrid</c>, <c>usb</c>, …).</param>
/// <param name="Aaguid">The authenticator model's AAGUID; all zeros when not disclosed.</param>
/// <param name="AttestationFormat">The attestation statement format at registration (<c>none</c>).</param>
public sealed record PasskeyResponse(
    string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool BackupEligible, bool BackedUp, bool Synced,
    IReadOnlyList<string> Transports, Guid Aaguid, string AttestationFormat)
{
    /// <summary>The view of <paramref name="passkey"/>.</summary>
    public static PasskeyResponse From(PasskeyCredential passkey)
    {
        ArgumentNullException.ThrowIfNull(passkey);
        return new(passkey.CredentialId, passkey.Name, passkey.CreatedAt, passkey.LastUsedAt, passkey.BackupEligible, passkey.BackedUp, passkey.BackedUp,
            passkey.Transports, passkey.Aaguid, passkey.AttestationFormat);
    }
}

/// <summary>A user's passkeys, oldest first.</summary>
/// <param name="Passkeys">The passkeys.</param>
public sealed record PasskeyListResponse(IReadOnlyList<PasskeyResponse> Passkeys);
