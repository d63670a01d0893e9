using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Tokens;

/// <summary>
/// Token delivery in cookies, for browsers: both tokens in HttpOnly, Secure cookies that script
/// never sees, both <c>__Host-</c> (host-only, Path=/: no sibling subdomain can plant or shadow
/// them, RFC 6265bis §4.1.3.2). The access token is SameSite=Lax like the session cookie; the
/// refresh token SameSite=Strict. The refresh cookie used to be <c>__Secure-</c> and scoped to the
/// token endpoints' path, which let a sibling subdomain toss in one of its own (issue #14): it now
/// goes with every request to this host, as a session cookie does, and is read only by the refresh
/// and revoke endpoints.
/// </summary>
public static class TokenCookies
{
    /// <summary>The refresh token's cookie in browser token mode.</summary>
    public const string RefreshTokenCookieName = "__Host-tessera-rt";

    /// <summary>
    /// Writes both cookies, or neither when one would pass the 4096 bytes a browser keeps (RFC 6265
    /// §6.1; an access token grows with its claims): then false, and the caller answers
    /// <c>cookie_too_large</c> rather than send a cookie the browser would drop.
    /// </summary>
    public static bool TryWrite(HttpResponse response, string accessToken, TimeSpan accessLifetime, string refreshToken, TimeSpan refreshLifetime)
    {
        ArgumentNullException.ThrowIfNull(response);
        return CookieBudget.TryAppend(response,
            (IssuedBearerDefaults.AccessTokenCookieName, accessToken, new CookieOptions
            {
                HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = accessLifetime, IsEssential = true,
            }),
            (RefreshTokenCookieName, refreshToken, new CookieOptions
            {
                HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = refreshLifetime, IsEssential = true,
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

    /// <summary>Deletes both token cookies in the browser.</summary>
    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(IssuedBearerDefaults.AccessTokenCookieName, new CookieOptions { Secure = true, Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax });
        response.Cookies.Delete(RefreshTokenCookieName, new CookieOptions { Secure = true, Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
    }
}
