namespace Tessera.OAuth;

/// <summary>The grant types Tessera's token endpoint knows (RFC 6749 §4, OAuth 2.1).</summary>
public static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    public static IReadOnlyList<string> All { get; } = [AuthorizationCode, RefreshToken, ClientCredentials];
}
