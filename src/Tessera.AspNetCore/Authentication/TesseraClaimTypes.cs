namespace Tessera.AspNetCore.Authentication;

/// <summary>Claim names, the registered JWT ones (RFC 7519 §4.1.2, OpenID Connect's <c>sid</c>) so token mode can reuse them.</summary>
public static class TesseraClaimTypes
{
    /// <summary>The user id (JWT <c>sub</c>), the same claim name in every mode.</summary>
    public const string Subject = "sub";
    /// <summary>The session id (OIDC <c>sid</c>): the public handle of the session behind the credential.</summary>
    public const string SessionId = "sid";
}
