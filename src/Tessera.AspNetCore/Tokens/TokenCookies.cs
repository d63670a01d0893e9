using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.IssuedBearer;

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
    public const string RefreshTokenPath = "/auth/token";

    public static void Write(HttpResponse response, string accessToken, TimeSpan accessLifetime, string refreshToken, TimeSpan refreshLifetime)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(IssuedBearerDefaults.AccessTokenCookieName, accessToken, new CookieOptions
        {
            HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = accessLifetime, IsEssential = true,
        });
        response.Cookies.Append(RefreshTokenCookieName, refreshToken, new CookieOptions
        {
            HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = RefreshTokenPath, MaxAge = refreshLifetime, IsEssential = true,
        });
    }

    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(IssuedBearerDefaults.AccessTokenCookieName, new CookieOptions { Secure = true, Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax });
        response.Cookies.Delete(RefreshTokenCookieName, new CookieOptions { Secure = true, Path = RefreshTokenPath, HttpOnly = true, SameSite = SameSiteMode.Strict });
    }
}
