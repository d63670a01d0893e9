namespace Tessera.OAuth.Grants;

/// <summary>
/// What a grant answers at the token endpoint (RFC 6749 §5.1): the access token, its lifetime and
/// scope, a refresh token when one is issued, an ID token when <c>openid</c> was granted (OIDC Core
/// §3.1.3.3), and the handle of the session behind them (null for a client's own token). Never logged.
/// </summary>
public sealed record GrantedTokens(string AccessToken, TimeSpan ExpiresIn, string Scope)
{
    public string? RefreshToken { get; init; }

    public string? IdToken { get; init; }

    public string? SessionHandle { get; init; }

    // Records print their members; the tokens must never reach a log through ToString.
    public override string ToString() => $"GrantedTokens {{ Session = {SessionHandle}, ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}
