namespace Tessera.Passkeys;

/// <summary>
/// The passkeys of every account. Credential ids are unique across accounts (WebAuthn §7.1 step 25:
/// a credential id already registered must be refused). Every method is scoped to a user where the
/// caller acts for one, so one user can never name, rename or remove another's passkey.
/// </summary>
public interface IPasskeyStore
{
    /// <summary>Adds <paramref name="credential"/>; false (nothing written) when its credential id is already registered to any account.</summary>
    ValueTask<bool> AddAsync(PasskeyCredential credential, CancellationToken cancellationToken);

    /// <summary>The passkey with <paramref name="credentialId"/>, whoever owns it (a discoverable sign-in learns the user from it); null when unknown.</summary>
    ValueTask<PasskeyCredential?> FindAsync(string credentialId, CancellationToken cancellationToken);

    /// <summary>The passkeys of <paramref name="userId"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<PasskeyCredential>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a successful sign-in: the new <paramref name="signCount"/>, the backup state and the
    /// time. Only when the stored counter is still <paramref name="expectedSignCount"/> (two
    /// concurrent assertions with one counter value must not both pass); false otherwise or when unknown.
    /// </summary>
    ValueTask<bool> RecordUseAsync(string credentialId, uint expectedSignCount, uint signCount, bool backedUp, DateTimeOffset usedAt, CancellationToken cancellationToken);

    /// <summary>Renames <paramref name="userId"/>'s passkey; false when that user has no such passkey.</summary>
    ValueTask<bool> RenameAsync(string userId, string credentialId, string name, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="userId"/>'s passkey; false when that user has no such passkey.</summary>
    ValueTask<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken);

    /// <summary>Removes every passkey of <paramref name="userId"/> (the account is deleted); returns how many.</summary>
    ValueTask<int> DeleteAllAsync(string userId, CancellationToken cancellationToken);
}
