using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.OAuth.IdTokens;

/// <summary>What an ID token says (OpenID Connect Core §2): who signed in, to which client, in which session, when.</summary>
public sealed record IdTokenRequest
{
    /// <summary>The session the client holds (its handle is the <c>sid</c>); the token session a code redemption created.</summary>
    public required SessionRecord Session { get; init; }

    /// <summary>The user who signed in: <c>sub</c> is its id; the <c>profile</c> scope adds its username.</summary>
    public required UserRecord User { get; init; }

    /// <summary>The client the token is for (<c>aud</c>, <c>azp</c>); its <c>id_token_signed_response_alg</c> picks the key.</summary>
    public required OAuthClient Client { get; init; }

    /// <summary>The <c>iss</c>: the same issuer the access token and discovery name.</summary>
    public required string Issuer { get; init; }

    /// <summary>When the user last authenticated (<c>auth_time</c>): the browser session's sign-in, not the code redemption.</summary>
    public required DateTimeOffset AuthTime { get; init; }

    /// <summary>The granted scopes; <c>profile</c> adds <c>preferred_username</c> and <c>name</c>.</summary>
    public required IReadOnlyCollection<string> Scopes { get; init; }

    /// <summary>The authorization request's <c>nonce</c>; the claim is left out when the client sent none (OIDC Core §3.1.2.1).</summary>
    public string? Nonce { get; init; }

    /// <summary>The access token issued alongside, whose hash becomes <c>at_hash</c> (OIDC Core §3.1.3.6); null: no <c>at_hash</c>.</summary>
    public string? AccessToken { get; init; }
}
