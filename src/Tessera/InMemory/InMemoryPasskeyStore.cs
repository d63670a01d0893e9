using System.Globalization;
using Tessera.Passkeys;
using Tessera.Stores;

namespace Tessera.InMemory;

/// <summary>Passkeys in process memory: tests and single-process experiments.</summary>
public sealed class InMemoryPasskeyStore : IPasskeyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PasskeyCredential> _byId = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(PasskeyCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryAdd(credential.CredentialId, Copy(credential)));
        }
    }

    /// <inheritdoc />
    public ValueTask<PasskeyCredential?> FindAsync(string credentialId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryGetValue(credentialId, out PasskeyCredential? stored) ? Readable(stored) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PasskeyCredential>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<PasskeyCredential>>(
                [.. _byId.Values.Where(p => p.UserId == userId).Select(Readable).OrderBy(p => p.CreatedAt).ThenBy(p => p.CredentialId, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordUseAsync(string credentialId, uint expectedSignCount, uint signCount, bool backedUp, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(credentialId, out PasskeyCredential? stored) || stored.SignCount != expectedSignCount)
            {
                return ValueTask.FromResult(false);
            }

            _byId[credentialId] = stored with { SignCount = signCount, BackedUp = backedUp, LastUsedAt = usedAt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenameAsync(string userId, string credentialId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(credentialId, out PasskeyCredential? stored) || stored.UserId != userId)
            {
                return ValueTask.FromResult(false);
            }

            _byId[credentialId] = stored with { Name = name };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryGetValue(credentialId, out PasskeyCredential? stored) && stored.UserId == userId && _byId.Remove(credentialId));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteAllAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            string[] owned = [.. _byId.Values.Where(p => p.UserId == userId).Select(p => p.CredentialId)];
            foreach (string id in owned)
            {
                _byId.Remove(id);
            }

            return ValueTask.FromResult(owned.Length);
        }
    }

    // As the SQL stores: a record of a layout this build does not know is refused, not misread
    // (PasskeyCredential.CurrentFormatVersion).
    private static PasskeyCredential Readable(PasskeyCredential stored) =>
        stored.FormatVersion == PasskeyCredential.CurrentFormatVersion
            ? stored
            : throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A passkey record has format {stored.FormatVersion}, which this version cannot read."));

    // The caller keeps its reference; a later change to its lists must not reach the store.
    private static PasskeyCredential Copy(PasskeyCredential credential) =>
        credential with { PublicKey = credential.PublicKey.ToArray(), Transports = [.. credential.Transports] };
}
