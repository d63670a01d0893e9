namespace Tessera.Keys;

/// <summary>
/// Where the key ring lives. Every instance sharing the store reads the same keys and computes the
/// same current key from them, so the instances agree without talking to each other.
/// </summary>
public interface ISigningKeyStore
{
    /// <summary>Every key, retired ones included, oldest first.</summary>
    ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a key; false when a key with this id exists already.</summary>
    ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Marks a key retired at <paramref name="retiresAt"/>; false when unknown or already retired.</summary>
    ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken);
}
