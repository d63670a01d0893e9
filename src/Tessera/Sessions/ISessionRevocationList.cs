namespace Tessera.Sessions;

/// <summary>
/// The session ids (<c>sid</c>) revoked recently enough that an access token naming them may still
/// be unexpired. A resource server that shares the list with the issuer (Redis, say) refuses such
/// tokens without calling the issuer. Entries live as long as the longest access token, no longer.
/// An unreachable list throws <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface ISessionRevocationList
{
    /// <summary>True when the session named <paramref name="sessionId"/> was revoked.</summary>
    ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken);
}
