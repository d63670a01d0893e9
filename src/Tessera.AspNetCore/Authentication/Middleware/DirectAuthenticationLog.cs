using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// The lines <c>AuthenticationHandler&lt;TOptions&gt;.AuthenticateAsync</c> writes after a handler
/// answered without a failure, written for a request <see cref="DirectAuthentication"/> answered without
/// a handler: the same event ids, names, messages and category (the handler type's full name), so a
/// host's log filters see no difference. A refusal goes through a handler, which logs it itself.
/// </summary>
internal static partial class DirectAuthenticationLog
{
    [LoggerMessage(EventId = 8, EventName = "AuthenticationSchemeAuthenticated", Level = LogLevel.Debug, Message = "AuthenticationScheme: {AuthenticationScheme} was successfully authenticated.")]
    public static partial void Authenticated(ILogger logger, string authenticationScheme);

    [LoggerMessage(EventId = 9, EventName = "AuthenticationSchemeNotAuthenticated", Level = LogLevel.Debug, Message = "AuthenticationScheme: {AuthenticationScheme} was not authenticated.")]
    public static partial void NotAuthenticated(ILogger logger, string authenticationScheme);
}
