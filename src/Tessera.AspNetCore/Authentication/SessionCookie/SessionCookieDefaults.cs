namespace Tessera.AspNetCore.Authentication;

public static class SessionCookieDefaults
{
    public const string AuthenticationScheme = "TesseraSessionCookie";

    /// <summary>
    /// The <c>__Host-</c> prefix makes browsers refuse the cookie unless it is Secure, has Path=/
    /// and no Domain, so a sibling subdomain cannot plant or overwrite it (RFC 6265bis §4.1.3.2).
    /// </summary>
    public const string CookieName = "__Host-tessera-session";
}
