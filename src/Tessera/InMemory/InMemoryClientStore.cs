using Tessera.OAuth;

namespace Tessera.InMemory;

/// <summary>
/// The client registry in process memory: tests and single-process experiments. Deleting a client
/// deletes its consents from the <see cref="InMemoryConsentStore"/> it was given.
/// </summary>
public sealed class InMemoryClientStore : IClientStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, OAuthClient> _clients = new(StringComparer.Ordinal);
    private readonly InMemoryConsentStore? _consents;

    /// <summary>A registry alone, with no consents to keep in step (tests of the registry itself).</summary>
    public InMemoryClientStore()
    {
    }

    /// <summary>A registry whose deletions also forget what users consented to in <paramref name="consents"/>.</summary>
    public InMemoryClientStore(InMemoryConsentStore consents)
    {
        ArgumentNullException.ThrowIfNull(consents);
        _consents = consents;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_clients.TryAdd(client.ClientId, client));
        }
    }

    /// <inheritdoc />
    public ValueTask<OAuthClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_clients.GetValueOrDefault(clientId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OAuthClient>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<OAuthClient>>([.. _clients.Values]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_clients.ContainsKey(client.ClientId))
            {
                return ValueTask.FromResult(false);
            }

            _clients[client.ClientId] = client;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_clients.Remove(clientId))
            {
                return ValueTask.FromResult(false);
            }

            _consents?.RemoveClient(clientId);
            return ValueTask.FromResult(true);
        }
    }
}
