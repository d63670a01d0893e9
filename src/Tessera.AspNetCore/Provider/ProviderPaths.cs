namespace Tessera.AspNetCore.Provider;

/// <summary>The provider's fixed paths (discovery lists them).</summary>
public static class ProviderPaths
{
    /// <summary>The authorization endpoint (RFC 6749 §3.1).</summary>
    public const string Authorize = "/oauth2/authorize";
    /// <summary>The provider's sign-in page.</summary>
    public const string SignIn = "/oauth2/signin";
    /// <summary>The provider's consent page.</summary>
    public const string Consent = "/oauth2/consent";
    /// <summary>The OpenID Connect userinfo endpoint (OIDC Core §5.3).</summary>
    public const string UserInfo = "/oauth2/userinfo";
    /// <summary>RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).</summary>
    public const string Logout = "/oauth2/logout";

    /// <summary>The user's own consents, under the auth group's prefix.</summary>
    public const string Consents = "/consents";
}
