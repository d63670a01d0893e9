using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// RFC 9110 §15.5.2: a 401 response MUST carry a WWW-Authenticate challenge. Cookies have no
/// registered scheme; this uses the "Cookie" scheme of draft-broyer-http-cookie-auth, which names
/// the cookie a client should present.
/// </summary>
public static class SessionCookieChallenge
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
        context.Response.Headers.WWWAuthenticate = $"Cookie realm=\"Tessera\", cookie-name=\"{cookieName}\"";
    }
}
