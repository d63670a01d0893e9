using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication.IssuedBearer;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// RFC 9110 §15.5.2: a 401 response MUST carry a WWW-Authenticate challenge. Cookies have no
/// registered scheme; this uses the "Cookie" scheme of draft-broyer-http-cookie-auth, which names
/// the cookie a client should present. Where the server's own bearer is registered too, the API
/// accepts access tokens as well, so the 401 also carries RFC 6750 §3's <c>Bearer</c> challenge and
/// RFC 9449 §7.1's <c>DPoP</c> one (without an error attribute: no token was presented, §7.2).
/// </summary>
internal static class SessionCookieChallenge
{
    public static void Add(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted || context.Response.Headers.WWWAuthenticate.Count > 0)
        {
            return;
        }

        string cookieName = context.RequestServices.GetService<IOptionsMonitor<SessionCookieOptions>>()?.Get(SessionCookieDefaults.AuthenticationScheme).CookieName
            ?? SessionCookieDefaults.CookieName;
        string cookie = $"Cookie realm=\"Tessera\", cookie-name=\"{cookieName}\"";
        context.Response.Headers.WWWAuthenticate = AcceptsBearer(context)
            ? StringValues.Concat(cookie, IssuedBearerHandler.NoCredentialChallenges(context))
            : cookie;
    }

    private static bool AcceptsBearer(HttpContext context) =>
        context.RequestServices.GetService<IOptions<AuthenticationOptions>>()?.Value.SchemeMap.ContainsKey(IssuedBearerDefaults.AuthenticationScheme) == true;
}
