using Tessera.InMemory;
using Tessera.Keys;

namespace Tessera.Tests.Tokens;

/// <summary>The in-memory key store, counting how often the ring reads it.</summary>
internal sealed class CountingSigningKeyStore : ISigningKeyStore
{
    private readonly InMemorySigningKeyStore _inner = new();

    public int Reads { get; private set; }

    public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        Reads++;
        return _inner.ListAsync(cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken) => _inner.TryAddAsync(key, cancellationToken);

    public ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken) => _inner.RetireAsync(keyId, retiresAt, cancellationToken);
}
