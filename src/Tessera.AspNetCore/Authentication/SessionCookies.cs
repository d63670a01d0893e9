using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Writes and clears the session cookie with the attributes that keep it safe.</summary>
public static class SessionCookies
{
    /// <summary>
    /// HttpOnly (no script access), Secure (HTTPS only; browsers treat http://localhost and
    /// 127.0.0.1 as secure too), SameSite=Lax (not sent on cross-site subrequests or POSTs),
    /// Path=/ and no Domain (host-only, as the <c>__Host-</c> prefix requires). No Expires: the
    /// cookie lives for the browser session; the server decides the session's real lifetime.
    /// </summary>
    public static CookieOptions Options() => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };

    public static void Write(HttpResponse response, string cookieName, string secret)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(cookieName, secret, Options());
    }

    public static void Clear(HttpResponse response, string cookieName)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(cookieName, Options());
    }
}
