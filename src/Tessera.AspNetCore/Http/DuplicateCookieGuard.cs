using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Tokens;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// Refuses a request that carries one of Tessera's credential cookies twice (400
/// <c>duplicate_cookie</c>). A browser sends two cookies of one name when a sibling subdomain, or
/// an attacker on one, planted a second with <c>Domain=</c> the parent or another path ("cookie
/// tossing"); the server cannot tell which one it issued, and taking either lets the attacker
/// choose the session (RFC 6265 §8.6, RFC 6265bis §8.5). The names are those of the session cookie,
/// the access-token cookie and the refresh cookie as configured.
/// </summary>
internal sealed partial class DuplicateCookieGuard(
    RequestDelegate next,
    IOptionsMonitor<SessionCookieOptions> sessionCookie,
    IOptionsMonitor<IssuedBearerOptions> issuedBearer,
    ILogger<DuplicateCookieGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        StringValues cookies = context.Request.Headers.Cookie;
        if (cookies.Count > 0 && RepeatedCredential(cookies) is { } name)
        {
            LogDuplicate(logger, name, context.Connection.RemoteIpAddress?.ToString() ?? "-", LogValue.Escape(context.Request.Headers.UserAgent.ToString()));
            return TesseraProblems.Problem(StatusCodes.Status400BadRequest, TesseraErrorCodes.DuplicateCookie,
                $"The request carries the cookie {name} more than once; delete the cookies of this site and sign in again.").ExecuteAsync(context);
        }

        return next(context);
    }

    /// <summary>The first credential cookie name that occurs more than once, or null.</summary>
    internal string? RepeatedCredential(StringValues cookieHeaders)
    {
        string session = sessionCookie.Get(SessionCookieDefaults.AuthenticationScheme).CookieName;
        string? access = issuedBearer.Get(IssuedBearerDefaults.AuthenticationScheme).AccessTokenCookieName;
        Span<int> seen = stackalloc int[3];
        foreach (string? header in cookieHeaders)
        {
            // RFC 6265 §4.2.1: cookie-pair *( ";" SP cookie-pair ); no cookie-octet is ';' or ',', and
            // ASP.NET Core's parser also splits on ',', so splitting on both finds every name it sees.
            foreach (string pair in (header ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                ReadOnlySpan<char> name = (equals < 0 ? pair : pair[..equals]).AsSpan().Trim();
                // Names compare as ASP.NET Core's cookie collection does (ignoring case), so a
                // differently cased copy cannot shadow the real one either.
                int index = name.Equals(session, StringComparison.OrdinalIgnoreCase) ? 0
                    : access is not null && name.Equals(access, StringComparison.OrdinalIgnoreCase) ? 1
                    : name.Equals(TokenCookies.RefreshTokenCookieName, StringComparison.OrdinalIgnoreCase) ? 2
                    : -1;
                if (index >= 0 && ++seen[index] > 1)
                {
                    return index switch { 0 => session, 1 => access, _ => TokenCookies.RefreshTokenCookieName };
                }
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Request refused: the cookie {CookieName} came more than once (cookie tossing?) from {ClientAddress}, agent '{UserAgent}'")]
    private static partial void LogDuplicate(ILogger logger, string cookieName, string clientAddress, string userAgent);
}
