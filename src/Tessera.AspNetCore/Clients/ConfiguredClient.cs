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

    public string? DisplayName { get; set; }

    /// <summary><c>public</c> or <c>confidential</c>.</summary>
    public string? Type { get; set; }

    public string? TokenEndpointAuthMethod { get; set; }

    /// <summary>
    /// The client secret (client_secret_basic/post), best given as an environment variable
    /// (<c>Tessera__Clients__{key}__Secret</c>): 43 base64url characters, hashed at start and
    /// never stored or logged in clear. Omitted: the stored secrets stay (<c>tessera client rotate-secret</c>).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The client's public keys as a JWK Set in JSON text, for private_key_jwt.</summary>
    public string? Jwks { get; set; }

    public List<string>? RedirectUris { get; set; }

    public List<string>? PostLogoutRedirectUris { get; set; }

    public List<string>? GrantTypes { get; set; }

    public List<string>? Scopes { get; set; }

    public List<string>? CorsOrigins { get; set; }

    public bool? RequireConsent { get; set; }

    public string? IdTokenSignedResponseAlg { get; set; }

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
    };
}
