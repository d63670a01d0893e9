namespace Tessera.AspNetCore.Authentication;

/// <summary>Claim names, the registered JWT ones (RFC 7519 §4.1.2, OpenID Connect's <c>sid</c>) so token mode can reuse them.</summary>
public static class TesseraClaimTypes
{
    public const string Subject = "sub";
    public const string SessionId = "sid";
}
