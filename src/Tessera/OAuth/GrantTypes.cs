namespace Tessera.OAuth;

/// <summary>The grant types Tessera's token endpoint knows (RFC 6749 §4, OAuth 2.1).</summary>
public static class GrantTypes
{
    /// <summary>The authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636), for a user's sign-in at a client.</summary>
    public const string AuthorizationCode = "authorization_code";
    /// <summary>The refresh token grant (RFC 6749 §6): a new token pair, the old refresh token used up.</summary>
    public const string RefreshToken = "refresh_token";
    /// <summary>The client credentials grant (RFC 6749 §4.4): a confidential client's own access token, no user.</summary>
    public const string ClientCredentials = "client_credentials";

    /// <summary>Every grant type Tessera implements.</summary>
    public static IReadOnlyList<string> All { get; } = [AuthorizationCode, RefreshToken, ClientCredentials];
}
