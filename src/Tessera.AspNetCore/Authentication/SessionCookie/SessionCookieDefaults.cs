namespace Tessera.AspNetCore.Authentication;

/// <summary>The session-cookie scheme's defaults.</summary>
public static class SessionCookieDefaults
{
    /// <summary>The scheme name of the session-cookie scheme.</summary>
    public const string AuthenticationScheme = "TesseraSessionCookie";

    /// <summary>
    /// The <c>__Host-</c> prefix makes browsers refuse the cookie unless it is Secure, has Path=/
    /// and no Domain, so a sibling subdomain cannot plant or overwrite it (RFC 6265bis §4.1.3.2).
    /// </summary>
    public const string CookieName = "__Host-tessera-session";
}
