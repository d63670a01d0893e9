namespace Tessera.OAuth.Grants;

/// <summary>
/// What a grant answers at the token endpoint (RFC 6749 §5.1): the access token, its lifetime and
/// scope, a refresh token when one is issued, an ID token when <c>openid</c> was granted (OIDC Core
/// §3.1.3.3), and the handle of the session behind them (null for a client's own token). Never logged.
/// </summary>
public sealed record GrantedTokens(string AccessToken, TimeSpan ExpiresIn, string Scope)
{
    /// <summary>The new refresh token, when the grant gives one (<c>offline_access</c>, or a refresh).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The OpenID Connect ID token, when <c>openid</c> was granted.</summary>
    public string? IdToken { get; init; }

    /// <summary>The session behind the tokens; null for client credentials, which has no session.</summary>
    public string? SessionHandle { get; init; }

    /// <summary>The DPoP key thumbprint the access token is bound to (<c>cnf.jkt</c>, RFC 9449 §6.1); null: a bearer token.</summary>
    public string? KeyThumbprint { get; init; }

    /// <summary>The response's <c>token_type</c>: <c>DPoP</c> for a bound token, else <c>Bearer</c> (RFC 9449 §5).</summary>
    public string TokenType => Dpop.DpopTokenTypes.Of(KeyThumbprint);

    // Records print their members; the tokens must never reach a log through ToString.
    /// <summary>Names the session, lifetime and scope only: the tokens are secrets and never printed.</summary>
    public override string ToString() => $"GrantedTokens {{ Session = {SessionHandle}, ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}
