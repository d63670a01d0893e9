namespace Tessera.OAuth;

/// <summary>Remembered consents, per user and client. An unreachable store throws <see cref="Stores.StoreUnavailableException"/>.</summary>
public interface IConsentStore
{
    /// <summary>The consent <paramref name="userId"/> gave <paramref name="clientId"/>; null when none was given or it was withdrawn.</summary>
    ValueTask<Consent?> FindAsync(string userId, string clientId, CancellationToken cancellationToken);

    /// <summary>Stores (replacing any earlier) the consent of <see cref="Consent.UserId"/> for <see cref="Consent.ClientId"/>.</summary>
    ValueTask SaveAsync(Consent consent, CancellationToken cancellationToken);

    /// <summary>Every consent the user gave, ordered by client id.</summary>
    ValueTask<IReadOnlyList<Consent>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Forgets the user's consent for the client; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string userId, string clientId, CancellationToken cancellationToken);
}
