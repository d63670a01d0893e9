namespace Tessera.AspNetCore.Provider;

/// <summary>The provider's fixed paths (discovery lists them).</summary>
public static class ProviderPaths
{
    public const string Authorize = "/oauth2/authorize";
    public const string SignIn = "/oauth2/signin";
    public const string Consent = "/oauth2/consent";
    public const string UserInfo = "/oauth2/userinfo";
    public const string Logout = "/oauth2/logout";

    /// <summary>The user's own consents, under the auth group's prefix.</summary>
    public const string Consents = "/consents";
}
