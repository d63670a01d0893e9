namespace Tessera.Passkeys;

/// <summary>
/// One passkey (a WebAuthn public key credential, W3C WebAuthn Level 3 §4) registered on an account.
/// Nothing here is secret: the private key never leaves the authenticator. The record keeps what
/// verifying an assertion needs (<see cref="PublicKey"/>, <see cref="SignCount"/>) and what the user's
/// list shows (<see cref="Name"/>, dates, whether it is synced).
/// </summary>
public sealed record PasskeyCredential
{
    /// <summary>The layout version written by this build; a record of a newer one is refused rather than misread.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The longest <see cref="Name"/> kept.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The credential id the authenticator chose (WebAuthn §4 "Credential ID", at most 1023 bytes), base64url. Unique across all accounts.</summary>
    public required string CredentialId { get; init; }

    /// <summary>The account the passkey signs in to.</summary>
    public required string UserId { get; init; }

    /// <summary>The credential public key in COSE_Key form (RFC 9052 §7), as the attested credential data carried it.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>The authenticator's signature counter at the last use (WebAuthn §6.1.1); 0 when the authenticator keeps none.</summary>
    public required uint SignCount { get; init; }

    /// <summary>The transports the browser reported at registration (<c>internal</c>, <c>hybrid</c>, <c>usb</c>, …), passed back as hints.</summary>
    public IReadOnlyList<string> Transports { get; init; } = [];

    /// <summary>The BE flag (WebAuthn §6.1): the credential may be backed up, i.e. synced between devices. Fixed at registration.</summary>
    public required bool BackupEligible { get; init; }

    /// <summary>The BS flag at the last use: the credential is backed up now.</summary>
    public required bool BackedUp { get; init; }

    /// <summary>The authenticator model's AAGUID (WebAuthn §6.5.1); <see cref="Guid.Empty"/> when not disclosed.</summary>
    public Guid Aaguid { get; init; }

    /// <summary>The attestation statement format at registration (<c>none</c>, <c>packed</c>, …).</summary>
    public string AttestationFormat { get; init; } = "none";

    /// <summary>The name the user gave it (at most <see cref="MaxNameLength"/> characters).</summary>
    public required string Name { get; init; }

    /// <summary>When it was registered.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last signed in; null before its first use.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;
}
