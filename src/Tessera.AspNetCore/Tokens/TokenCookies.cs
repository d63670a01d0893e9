using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Tokens;

/// <summary>
/// Token delivery in cookies, for browsers: both tokens in HttpOnly, Secure cookies that script
/// never sees. The access token goes to every path (<c>__Host-</c>, SameSite=Lax like the session
/// cookie); the refresh token only to the token endpoints (<c>__Secure-</c>, since <c>__Host-</c>
/// requires Path=/; SameSite=Strict).
/// </summary>
public static class TokenCookies
{
    public const string RefreshTokenCookieName = "__Secure-tessera-rt";

    /// <summary>
    /// The path the refresh cookie is scoped to: the token sign-in endpoint's own path (e.g.
    /// <c>/auth/token</c>), which covers <c>…/token/refresh</c> and <c>…/token/revoke</c>, whatever
    /// prefix the app mapped the endpoints under.
    /// </summary>
    public static string RefreshTokenPath(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = (request.PathBase + request.Path).Value ?? "/";
        foreach (string suffix in (string[])["/refresh", "/revoke"])
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^suffix.Length];
            }
        }

        return path;
    }

    /// <summary>
    /// Writes both cookies, or neither when one would pass the 4096 bytes a browser keeps (RFC 6265
    /// §6.1; an access token grows with its claims): then false, and the caller answers
    /// <c>cookie_too_large</c> rather than send a cookie the browser would drop.
    /// </summary>
    public static bool TryWrite(HttpResponse response, string accessToken, TimeSpan accessLifetime, string refreshToken, TimeSpan refreshLifetime)
    {
        ArgumentNullException.ThrowIfNull(response);
        string refreshPath = RefreshTokenPath(response.HttpContext.Request);
        return CookieBudget.TryAppend(response,
            (IssuedBearerDefaults.AccessTokenCookieName, accessToken, new CookieOptions
            {
                HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = accessLifetime, IsEssential = true,
            }),
            (RefreshTokenCookieName, refreshToken, new CookieOptions
            {
                HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = refreshPath, MaxAge = refreshLifetime, IsEssential = true,
            }));
    }

    /// <summary>As <see cref="TryWrite"/>; a cookie too large to keep is a bug of the caller here.</summary>
    public static void Write(HttpResponse response, string accessToken, TimeSpan accessLifetime, string refreshToken, TimeSpan refreshLifetime)
    {
        if (!TryWrite(response, accessToken, accessLifetime, refreshToken, refreshLifetime))
        {
            throw new InvalidOperationException($"A token cookie would pass the {CookieBudget.MaximumBytes} bytes a browser keeps.");
        }
    }

    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(IssuedBearerDefaults.AccessTokenCookieName, new CookieOptions { Secure = true, Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax });
        response.Cookies.Delete(RefreshTokenCookieName, new CookieOptions { Secure = true, Path = RefreshTokenPath(response.HttpContext.Request), HttpOnly = true, SameSite = SameSiteMode.Strict });
    }
}
