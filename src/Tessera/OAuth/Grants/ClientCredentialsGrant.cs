using Tessera.Tokens;

namespace Tessera.OAuth.Grants;

/// <summary>
/// The client credentials grant (RFC 6749 §4.4): a confidential client, authenticated, gets an access
/// token for itself — <c>sub</c> and <c>client_id</c> the client, the scope asked for (by default all
/// the client is registered for), no <c>sid</c> and no refresh token (§4.4.3). User-facing scopes
/// (<c>openid</c>, <c>profile</c>, <c>offline_access</c>) make no sense without a user: <c>invalid_scope</c>.
/// </summary>
public sealed class ClientCredentialsGrant(TokenService tokens)
{
    private static readonly string[] UserScopes = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess];

    /// <summary>Issues an access token to <paramref name="client"/> itself for <paramref name="requestedScope"/> (its registered scopes without the user scopes, when empty), signed as <paramref name="issuer"/>; fails with <c>unauthorized_client</c> or <c>invalid_scope</c>.</summary>
    public ValueTask<Outcome<GrantedTokens>> IssueAsync(OAuthClient client, IReadOnlyList<string> requestedScope, string issuer, CancellationToken cancellationToken) =>
        IssueAsync(client, requestedScope, issuer, keyThumbprint: null, cancellationToken);

    /// <summary>As <see cref="IssueAsync(OAuthClient, IReadOnlyList{string}, string, CancellationToken)"/>, the token bound to the DPoP key <paramref name="keyThumbprint"/> when not null (<c>cnf.jkt</c>, RFC 9449 §5, §6.1).</summary>
    public async ValueTask<Outcome<GrantedTokens>> IssueAsync(OAuthClient client, IReadOnlyList<string> requestedScope, string issuer, string? keyThumbprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(requestedScope);
        IReadOnlyList<string> allowed = [.. client.Scopes.Where(scope => !UserScopes.Contains(scope, StringComparer.Ordinal))];
        if (requestedScope.Any(scope => UserScopes.Contains(scope, StringComparer.Ordinal)) || !Scopes.IsSubset(requestedScope, allowed))
        {
            return Outcome.Failure<GrantedTokens>(TesseraErrorCodes.InvalidScope, "The scope asked for is not one this client is registered for (without a user: no openid, profile or offline_access).");
        }

        string scope = Scopes.Format(requestedScope.Count > 0 ? requestedScope : allowed);
        (string accessToken, TimeSpan expiresIn) = await tokens.IssueForClientAsync(client.ClientId, scope, issuer, keyThumbprint, cancellationToken).ConfigureAwait(false);
        return Outcome.Success(new GrantedTokens(accessToken, expiresIn, scope) { KeyThumbprint = keyThumbprint });
    }
}
