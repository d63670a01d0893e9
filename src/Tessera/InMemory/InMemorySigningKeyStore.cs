using Tessera.Keys;

namespace Tessera.InMemory;

/// <summary>The key ring in process memory (lost at exit): tests and single-process experiments.</summary>
public sealed class InMemorySigningKeyStore : ISigningKeyStore
{
    private readonly Lock _gate = new();
    private readonly List<SigningKeyRecord> _keys = [];

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<SigningKeyRecord>>([.. _keys]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_keys.Exists(k => string.Equals(k.KeyId, key.KeyId, StringComparison.Ordinal)))
            {
                return ValueTask.FromResult(false);
            }

            _keys.Add(key);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            int index = _keys.FindIndex(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
            if (index < 0 || _keys[index].RetiresAt is not null)
            {
                return ValueTask.FromResult(false);
            }

            _keys[index] = _keys[index] with { RetiresAt = retiresAt };
            return ValueTask.FromResult(true);
        }
    }
}
