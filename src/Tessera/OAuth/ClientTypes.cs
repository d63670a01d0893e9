namespace Tessera.OAuth;

/// <summary>RFC 6749 §2.1 client types.</summary>
public static class ClientTypes
{
    /// <summary>Cannot keep a secret (a single-page app, a native app): PKCE alone protects its codes.</summary>
    public const string Public = "public";

    /// <summary>Authenticates at the token endpoint with a secret or a signed assertion.</summary>
    public const string Confidential = "confidential";
}
