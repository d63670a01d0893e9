using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication;

/// <summary>The handler's log messages. Cookie values never appear; handles are public ids.</summary>
internal static partial class SessionCookieLog
{
    public const string Category = "Tessera.AspNetCore.SessionCookie";

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Session {Handle} authenticated")]
    public static partial void Authenticated(ILogger logger, string handle);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Session cookie refused: {Code} (session {Handle})")]
    public static partial void Rejected(ILogger logger, string code, string handle);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Session {Handle} used from another client ({Code})")]
    public static partial void BindingMismatch(ILogger logger, string handle, string code);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Session store unavailable during authentication")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);
}
