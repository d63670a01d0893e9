using System.Text.Json.Serialization;

namespace Tessera.OAuth.Authorization;

/// <summary>
/// An authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1) that passed every check:
/// a registered client, one of its redirect URIs exactly, <c>response_type=code</c>, a scope within the
/// client's, and a PKCE S256 challenge. It is what the sign-in and consent pages carry between the
/// browser's round trips (protected, so it cannot be changed on the way).
/// </summary>
public sealed record AuthorizationRequest
{
    /// <c>client_id</c>: the client asking, already verified to exist.
    public required string ClientId { get; init; }

    /// <summary>The redirect URI: the one sent, or the client's only one when none was sent.</summary>
    public required string RedirectUri { get; init; }

    /// <summary>The requested scopes, distinct, in the order sent.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The client's opaque value, echoed in every answer (RFC 6749 §4.1.2).</summary>
    public string? State { get; init; }

    /// <summary>OIDC Core §3.1.2.1: copied into the ID token.</summary>
    public string? Nonce { get; init; }

    /// <summary>The PKCE S256 challenge (RFC 7636 §4.2).</summary>
    public required string CodeChallenge { get; init; }

    /// <summary>The <c>prompt</c> values (OIDC Core §3.1.2.1), distinct.</summary>
    public IReadOnlyList<string> Prompt { get; init; } = [];

    /// <summary>OIDC Core §3.1.2.1 <c>max_age</c> in seconds: the user must have signed in that recently.</summary>
    public long? MaxAge { get; init; }

    /// <summary>OIDC Core §3.1.2.1: a hint of the account to sign in with (prefills the username).</summary>
    public string? LoginHint { get; init; }

    /// <summary>
    /// RFC 9449 §10 <c>dpop_jkt</c>: the thumbprint of the DPoP key the code is bound to; the token
    /// request must carry a proof by that key. Null: the code is not bound.
    /// </summary>
    public string? DpopKeyThumbprint { get; init; }

    /// <summary>One of <see cref="ResponseModes"/>.</summary>
    public string ResponseMode { get; init; } = ResponseModes.Query;

    /// <summary>An OpenID Connect authentication request: <c>openid</c> is among the scopes.</summary>
    [JsonIgnore]
    public bool IsOpenId => Scopes.Contains(OAuth.Scopes.OpenId, StringComparer.Ordinal);

    /// <summary>The scope string as it goes into the code and the tokens.</summary>
    [JsonIgnore]
    public string Scope => OAuth.Scopes.Format(Scopes);

    /// <summary>Whether <c>prompt</c> names <paramref name="value"/> (one of <see cref="Prompts"/>).</summary>
    public bool HasPrompt(string value) => Prompt.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// True when a session whose user authenticated at <paramref name="authenticatedAt"/> is too old
    /// for <see cref="MaxAge"/> at <paramref name="now"/> (OIDC Core §3.1.2.1: the user must sign in again).
    /// </summary>
    public bool IsTooOld(DateTimeOffset authenticatedAt, DateTimeOffset now) =>
        MaxAge is { } maxAge && (now - authenticatedAt).TotalSeconds > maxAge;
}
