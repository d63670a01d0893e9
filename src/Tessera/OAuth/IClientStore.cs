namespace Tessera.OAuth;

/// <summary>
/// The client registry. Every call is cancellable; an unreachable store throws
/// <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface IClientStore
{
    /// <summary>Adds <paramref name="client"/>; false when its id is taken.</summary>
    ValueTask<bool> TryCreateAsync(OAuthClient client, CancellationToken cancellationToken);

    /// <summary>The client registered as <paramref name="clientId"/>; null when there is none.</summary>
    ValueTask<OAuthClient?> FindAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Every client, ordered by id.</summary>
    ValueTask<IReadOnlyList<OAuthClient>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored client with the same id; false when there is none.</summary>
    ValueTask<bool> UpdateAsync(OAuthClient client, CancellationToken cancellationToken);

    /// <summary>Removes a client (its consents too); false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string clientId, CancellationToken cancellationToken);
}
