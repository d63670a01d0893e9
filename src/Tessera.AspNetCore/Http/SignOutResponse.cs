using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Tokens;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// What every sign-out answer tells the browser, whichever credential ended the session: delete the
/// token cookies it sent (cookie delivery), and <c>Clear-Site-Data</c> (W3C Clear Site Data §3:
/// <c>"cookies"</c> for every cookie of the site, <c>"storage"</c> for tokens a page kept in
/// <c>localStorage</c>; OWASP ASVS 5 V7.4.1). Browsers honour the header on HTTPS only; the
/// <c>Set-Cookie</c> deletions work everywhere.
/// </summary>
public static class SignOutResponse
{
    public const string ClearSiteDataHeader = "Clear-Site-Data";

    /// <summary>Quoted strings, as the header's grammar requires (§3.1).</summary>
    public const string ClearSiteDataValue = "\"cookies\", \"storage\"";

    public static void ClearBrowser(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        IRequestCookieCollection cookies = http.Request.Cookies;
        if (cookies.ContainsKey(IssuedBearerDefaults.AccessTokenCookieName) || cookies.ContainsKey(TokenCookies.RefreshTokenCookieName))
        {
            TokenCookies.Clear(http.Response);
        }

        http.Response.Headers[ClearSiteDataHeader] = ClearSiteDataValue;
    }
}
