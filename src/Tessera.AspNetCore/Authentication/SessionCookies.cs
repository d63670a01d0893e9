using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;

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

    /// <summary>
    /// The attributes for <paramref name="options"/>: as <see cref="Options()"/> with the configured
    /// SameSite, and a Max-Age (capped at 400 days) when the cookie is to persist.
    /// </summary>
    public static CookieOptions Options(SessionCookieOptions options, TimeSpan? persistFor)
    {
        ArgumentNullException.ThrowIfNull(options);
        CookieOptions cookie = Options();
        cookie.SameSite = options.SameSite;
        if (persistFor is { } lifetime)
        {
            cookie.MaxAge = lifetime < SessionCookieOptions.MaximumPersistentLifetime ? lifetime : SessionCookieOptions.MaximumPersistentLifetime;
        }

        return cookie;
    }

    /// <summary>
    /// Writes the cookie unless it would pass the 4096 bytes a browser keeps (RFC 6265 §6.1); false,
    /// with nothing written, when it would. <paramref name="persistFor"/> makes it persistent.
    /// </summary>
    public static bool TryWrite(HttpResponse response, SessionCookieOptions options, string secret, TimeSpan? persistFor = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        return CookieBudget.TryAppend(response, (options.CookieName, secret, Options(options, persistFor)));
    }

    /// <summary>Writes a session cookie named <paramref name="cookieName"/> carrying <paramref name="secret"/>; throws <see cref="InvalidOperationException"/> when it would pass a browser's 4096 bytes.</summary>
    public static void Write(HttpResponse response, string cookieName, string secret)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!TryWrite(response, new SessionCookieOptions { CookieName = cookieName }, secret))
        {
            throw new InvalidOperationException($"The session cookie {cookieName} would pass the {CookieBudget.MaximumBytes} bytes a browser keeps.");
        }
    }

    /// <summary>
    /// Clears the cookie with the attributes it was written with: a browser ignores a deletion whose
    /// SameSite it would not have accepted for the cookie itself (a cross-site answer with Lax).
    /// </summary>
    public static void Clear(HttpResponse response, SessionCookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        response.Cookies.Delete(options.CookieName, Options(options, persistFor: null));
    }

    /// <summary>Deletes the session cookie named <paramref name="cookieName"/> in the browser.</summary>
    public static void Clear(HttpResponse response, string cookieName)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(cookieName, Options());
    }
}
