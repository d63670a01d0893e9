using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// The lines <c>AuthenticationHandler&lt;TOptions&gt;.AuthenticateAsync</c> writes after a handler
/// answered, written for a request <see cref="DirectAuthentication"/> answered without a handler:
/// the same event ids, names, levels, messages and category (the handler type's full name), so a
/// host's log filters see no difference.
/// </summary>
internal static partial class DirectAuthenticationLog
{
    [LoggerMessage(EventId = 7, EventName = "AuthenticationSchemeNotAuthenticatedWithFailure", Level = LogLevel.Information, Message = "{AuthenticationScheme} was not authenticated. Failure message: {FailureMessage}")]
    public static partial void NotAuthenticatedWithFailure(ILogger logger, string authenticationScheme, string failureMessage);

    [LoggerMessage(EventId = 8, EventName = "AuthenticationSchemeAuthenticated", Level = LogLevel.Debug, Message = "AuthenticationScheme: {AuthenticationScheme} was successfully authenticated.")]
    public static partial void Authenticated(ILogger logger, string authenticationScheme);

    [LoggerMessage(EventId = 9, EventName = "AuthenticationSchemeNotAuthenticated", Level = LogLevel.Debug, Message = "AuthenticationScheme: {AuthenticationScheme} was not authenticated.")]
    public static partial void NotAuthenticated(ILogger logger, string authenticationScheme);
}
