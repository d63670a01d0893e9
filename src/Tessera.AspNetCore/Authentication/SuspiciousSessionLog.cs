using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// A well-formed credential that names a session this server does not hold: a guessed or forged
/// cookie, a token whose <c>sid</c> was never issued (or whose session was deleted after
/// <c>Tessera:SessionRetention</c>). Expired and revoked sessions are known and never logged here.
/// Logged at Warning with the client's address and agent (escaped), never the credential
/// (OWASP ASVS 5 V16.3.3: log attempts to use unknown session tokens).
/// </summary>
internal static partial class SuspiciousSessionLog
{
    public static void UnknownCookie(ILogger logger, HttpContext http) =>
        UnknownCookieSession(logger, ClientAddress(http), LogValue.Escape(http.Request.Headers.UserAgent.ToString()));

    public static void UnknownTokenSession(ILogger logger, HttpContext http) =>
        UnknownTokenSessionCore(logger, ClientAddress(http), LogValue.Escape(http.Request.Headers.UserAgent.ToString()));

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "-";

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Suspicious: a session cookie names a session this server never issued (or deleted after its retention), from {ClientAddress}, agent '{UserAgent}'")]
    private static partial void UnknownCookieSession(ILogger logger, string clientAddress, string userAgent);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Suspicious: a validly signed access token names a session this server never issued (or deleted after its retention), from {ClientAddress}, agent '{UserAgent}'")]
    private static partial void UnknownTokenSessionCore(ILogger logger, string clientAddress, string userAgent);
}
