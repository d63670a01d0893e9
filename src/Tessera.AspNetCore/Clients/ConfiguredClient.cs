using Tessera.OAuth.Registration;

namespace Tessera.AspNetCore.Clients;

/// <summary>
/// One client under <c>Tessera:Clients:{key}</c>. The key is the client id unless
/// <see cref="ClientId"/> is set (configuration keys are case-insensitive, client ids are not).
/// Omitted members take the defaults of <see cref="ClientRegistrationRules"/>.
/// </summary>
public sealed class ConfiguredClient
{
    /// <summary>The client id, when it must differ from the configuration key (in case, say).</summary>
    public string? ClientId { get; set; }

    /// <summary>The name shown on the consent page.</summary>
    public string? DisplayName { get; set; }

    /// <summary><c>public</c> or <c>confidential</c>.</summary>
    public string? Type { get; set; }

    /// <summary>How the client authenticates at the token endpoint: <c>none</c>, <c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c>.</summary>
    public string? TokenEndpointAuthMethod { get; set; }

    /// <summary>
    /// The client secret (client_secret_basic/post), best given as an environment variable
    /// (<c>Tessera__Clients__{key}__Secret</c>): 43 base64url characters, hashed at start and
    /// never stored or logged in clear. Omitted: the stored secrets stay (<c>tessera client rotate-secret</c>).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The client's public keys as a JWK Set in JSON text, for private_key_jwt.</summary>
    public string? Jwks { get; set; }

    /// <summary>The exact redirect URIs the client may receive codes at.</summary>
    public List<string>? RedirectUris { get; set; }

    /// <summary>The exact URIs RP-initiated logout may return to.</summary>
    public List<string>? PostLogoutRedirectUris { get; set; }

    /// <summary>The grant types the client may use (<c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>).</summary>
    public List<string>? GrantTypes { get; set; }

    /// <summary>The scopes the client may ask for.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>Browser origins allowed to call the token endpoints (CORS), for a single-page app.</summary>
    public List<string>? CorsOrigins { get; set; }

    /// <summary>Whether the user is asked to consent; null: the registration default.</summary>
    public bool? RequireConsent { get; set; }

    /// <summary>The ID token's signing algorithm (<c>RS256</c> or <c>ES256</c>); null: the default.</summary>
    public string? IdTokenSignedResponseAlg { get; set; }

    /// <summary>RFC 9449 §5.2 <c>dpop_bound_access_tokens</c>: token requests without a DPoP proof are refused; null: false.</summary>
    public bool? DpopBoundAccessTokens { get; set; }

    /// <summary>The registration request for this entry; <paramref name="key"/> (its configuration key) is the client id unless <see cref="ClientId"/> is set.</summary>
    public ClientRegistrationRequest ToRegistration(string key) => new()
    {
        ClientId = string.IsNullOrEmpty(ClientId) ? key : ClientId,
        DisplayName = DisplayName,
        ClientType = Type,
        TokenEndpointAuthMethod = TokenEndpointAuthMethod,
        JwksJson = Jwks,
        RedirectUris = RedirectUris,
        PostLogoutRedirectUris = PostLogoutRedirectUris,
        GrantTypes = GrantTypes,
        Scopes = Scopes,
        CorsOrigins = CorsOrigins,
        RequireConsent = RequireConsent,
        IdTokenSignedResponseAlg = IdTokenSignedResponseAlg,
        DpopBoundAccessTokens = DpopBoundAccessTokens,
    };
}
