namespace Tessera.OAuth.Authorization;

/// <summary>
/// When the user must be asked (OIDC Core §3.1.2.4) and what is remembered afterwards: consent is
/// per user and client and covers scopes; a request within what was granted is not asked again.
/// </summary>
public static class ConsentRules
{
    /// <summary>
    /// True when the consent page must be shown: the client asks for consent and either the request
    /// says <c>prompt=consent</c> or it wants a scope <paramref name="remembered"/> does not cover.
    /// </summary>
    public static bool IsNeeded(OAuthClient client, AuthorizationRequest request, Consent? remembered)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        if (!client.RequireConsent)
        {
            return false;
        }

        return request.HasPrompt(Prompts.Consent) || remembered is null || !Scopes.IsSubset(request.Scopes, remembered.Scopes);
    }

    /// <summary>The consent to remember once the user allowed <paramref name="request"/>: the earlier scopes and the new ones.</summary>
    public static Consent Grant(string userId, AuthorizationRequest request, Consent? remembered, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Consent
        {
            UserId = userId,
            ClientId = request.ClientId,
            Scopes = [.. (remembered?.Scopes ?? []).Concat(request.Scopes).Distinct(StringComparer.Ordinal)],
            GrantedAt = now,
        };
    }
}
