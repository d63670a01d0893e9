using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Tokens;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// What every sign-out answer tells the browser, whichever credential ended the session: delete the
/// token cookies it sent (cookie delivery) with <c>Set-Cookie</c>, and <c>Clear-Site-Data: "storage"</c>
/// (W3C Clear Site Data §3.1: the origin's <c>localStorage</c>, IndexedDB and service workers, where a
/// page may have kept tokens; OWASP ASVS 5 V7.4.1). Not <c>"cookies"</c>: browsers apply it to the
/// whole registrable domain, so signing out of <c>auth.example.org</c> would also sign the user out of
/// every other <c>*.example.org</c> app. Tessera's own cookies are deleted one by one instead (every
/// one is <c>__Host-</c>, so this origin's alone). Browsers honour the header on HTTPS only.
/// </summary>
internal static class SignOutResponse
{
    public const string ClearSiteDataHeader = "Clear-Site-Data";

    /// <summary>Quoted strings, as the header's grammar requires (§3.1).</summary>
    public const string ClearSiteDataValue = "\"storage\"";

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
