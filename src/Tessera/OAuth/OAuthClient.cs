namespace Tessera.OAuth;

/// <summary>
/// One registered OAuth 2 client (RFC 6749 §2, RFC 7591 §2 names). Secrets are kept only as
/// SHA-256 hashes of 256-bit random values (<see cref="ClientSecrets"/>); redirect URIs are matched
/// exactly (RFC 9700 §4.1.3). <see cref="FormatVersion"/> is the stored layout's version.
/// </summary>
public sealed record OAuthClient
{
    /// <summary>The layout version written by this build; a record of a newer one is refused rather than misread.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The public identifier (RFC 6749 §2.2).</summary>
    public required string ClientId { get; init; }

    /// <summary>Shown on the consent page and in the device list.</summary>
    public required string DisplayName { get; init; }

    /// <summary><see cref="ClientTypes.Public"/> or <see cref="ClientTypes.Confidential"/> (RFC 6749 §2.1).</summary>
    public required string ClientType { get; init; }

    /// <summary>How the client authenticates at the token endpoint: one of <see cref="ClientAuthMethods"/>.</summary>
    public required string TokenEndpointAuthMethod { get; init; }

    /// <summary>SHA-256 hashes of the live client secrets (two during a rotation, RFC 7591 §2 style); empty unless a secret method.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> SecretHashes { get; init; } = [];

    /// <summary>The client's public keys as JWK Set JSON, for <see cref="ClientAuthMethods.PrivateKeyJwt"/> (RFC 7523 §3).</summary>
    public string? JwksJson { get; init; }

    /// <summary>Absolute redirect URIs, compared exactly (no prefix, case or fragment games).</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>Where RP-initiated logout may send the browser afterwards (OpenID Connect RP-Initiated Logout 1.0 §3).</summary>
    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>Grant types this client may use: values of <see cref="GrantTypes"/>.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary>Scopes this client may ask for; a request for any other is <c>invalid_scope</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Browser origins (scheme://host[:port]) allowed to call the token and revocation endpoints (CORS).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>False for a first-party client the operator trusts: the user is not asked to consent.</summary>
    public bool RequireConsent { get; init; } = true;

    /// <summary>The JWS algorithm of this client's ID tokens (OIDC Registration §2 <c>id_token_signed_response_alg</c>).</summary>
    public string IdTokenSignedResponseAlg { get; init; } = "RS256";

    /// <summary>When the client was registered.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The client always uses DPoP (RFC 9449 §5.2 client metadata <c>dpop_bound_access_tokens</c>):
    /// a token request without a valid DPoP proof is refused with <c>invalid_dpop_proof</c>.
    /// </summary>
    public bool RequireDpopBoundAccessTokens { get; init; }

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>True for a confidential client: it authenticates at the token endpoint (secret or <c>private_key_jwt</c>).</summary>
    public bool IsConfidential => string.Equals(ClientType, ClientTypes.Confidential, StringComparison.Ordinal);
}
