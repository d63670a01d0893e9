namespace Tessera.OAuth.Registration;

/// <summary>
/// What an operator asks to register (the CLI, the admin API, configuration). Null members take
/// the defaults <see cref="ClientRegistrationRules"/> documents; everything is validated there.
/// It carries no secret: Tessera generates secrets (<see cref="ClientSecrets"/>), and the one
/// path that accepts a given secret (configuration) passes it beside the request.
/// </summary>
public sealed record ClientRegistrationRequest
{
    /// <summary>The wanted client id; null: one is generated.</summary>
    public string? ClientId { get; init; }

    /// <summary>Default: the client id.</summary>
    public string? DisplayName { get; init; }

    /// <summary><see cref="ClientTypes.Public"/> or <see cref="ClientTypes.Confidential"/>; required.</summary>
    public string? ClientType { get; init; }

    /// <summary>Default: <c>none</c> for a public client, <c>client_secret_basic</c> for a confidential one.</summary>
    public string? TokenEndpointAuthMethod { get; init; }

    /// <summary>The client's public keys (a JWK Set), for <c>private_key_jwt</c> only.</summary>
    public string? JwksJson { get; init; }

    /// <summary>The exact redirect URIs the client may receive codes at (no wildcards; compared as strings, RFC 9700 §4.1.3).</summary>
    public IReadOnlyList<string>? RedirectUris { get; init; }

    /// <summary>The exact URIs RP-initiated logout may return to.</summary>
    public IReadOnlyList<string>? PostLogoutRedirectUris { get; init; }

    /// <summary>Default: <c>authorization_code</c> and <c>refresh_token</c>.</summary>
    public IReadOnlyList<string>? GrantTypes { get; init; }

    /// <summary>Default: <c>openid profile offline_access</c> when the code grant is allowed, else none.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Browser origins allowed to call the token endpoints (CORS), for a single-page app.</summary>
    public IReadOnlyList<string>? CorsOrigins { get; init; }

    /// <summary>Default: true (the user is asked once per client and scope).</summary>
    public bool? RequireConsent { get; init; }

    /// <summary>Default: RS256 (OpenID Connect Core §15.1 requires every provider to support it).</summary>
    public string? IdTokenSignedResponseAlg { get; init; }

    /// <summary>RFC 9449 §5.2 <c>dpop_bound_access_tokens</c>: the client always uses DPoP (token requests without a proof are refused). Default: false.</summary>
    public bool? DpopBoundAccessTokens { get; init; }
}
