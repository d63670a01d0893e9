using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>An access token and the refresh token of its session. Never logged.</summary>
public sealed record IssuedTokens(string AccessToken, TimeSpan ExpiresIn, string RefreshToken, SessionRecord Session)
{
    /// <summary>The scope of <see cref="AccessToken"/> (RFC 6749 §5.1): the session's grant, or the subset a refresh asked for.</summary>
    public string Scope { get; init; } = "";

    /// <summary>
    /// The RFC 7638 thumbprint of the DPoP key <see cref="AccessToken"/> is bound to (its <c>cnf.jkt</c>,
    /// RFC 9449 §6.1); null for a bearer token.
    /// </summary>
    public string? KeyThumbprint { get; init; }

    /// <summary>The response's <c>token_type</c>: <c>DPoP</c> for a bound token, else <c>Bearer</c> (RFC 9449 §5).</summary>
    public string TokenType => Dpop.DpopTokenTypes.Of(KeyThumbprint);

    // Records print their members; the tokens must never reach a log through ToString.
    /// <summary>Names the session, lifetime and scope only: the tokens are secrets and never printed.</summary>
    public override string ToString() => $"IssuedTokens {{ Session = {Session.Handle}, ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}
