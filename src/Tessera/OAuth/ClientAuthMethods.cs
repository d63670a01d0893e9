namespace Tessera.OAuth;

/// <summary>Token endpoint authentication methods (RFC 7591 §2, OpenID Connect Core §9).</summary>
public static class ClientAuthMethods
{
    /// <summary>A public client: no authentication, PKCE binds its codes.</summary>
    public const string None = "none";

    /// <summary>HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).</summary>
    public const string ClientSecretBasic = "client_secret_basic";

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (RFC 6749 §2.3.1).</summary>
    public const string ClientSecretPost = "client_secret_post";

    /// <summary>A JWT signed with the client's own key (RFC 7523 §2.2, OIDC Core §9).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>Every <c>token_endpoint_auth_method</c> Tessera supports.</summary>
    public static IReadOnlyList<string> All { get; } = [None, ClientSecretBasic, ClientSecretPost, PrivateKeyJwt];
}
