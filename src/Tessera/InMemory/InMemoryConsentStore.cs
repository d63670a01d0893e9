using Tessera.OAuth;

namespace Tessera.InMemory;

/// <summary>Remembered consents in process memory: tests and single-process experiments.</summary>
public sealed class InMemoryConsentStore : IConsentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string UserId, string ClientId), Consent> _consents = [];

    /// <inheritdoc />
    public ValueTask<Consent?> FindAsync(string userId, string clientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_consents.GetValueOrDefault((userId, clientId)));
        }
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(Consent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _consents[(consent.UserId, consent.ClientId)] = consent with { Scopes = [.. consent.Scopes] };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Consent>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Consent>>([.. _consents.Values.Where(c => c.UserId == userId).OrderBy(c => c.ClientId, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string userId, string clientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_consents.Remove((userId, clientId)));
        }
    }

    /// <summary>Forgets every user's consent for <paramref name="clientId"/> (its client was deleted).</summary>
    internal void RemoveClient(string clientId)
    {
        lock (_gate)
        {
            foreach ((string UserId, string ClientId) key in _consents.Keys.Where(k => k.ClientId == clientId).ToArray())
            {
                _consents.Remove(key);
            }
        }
    }
}
