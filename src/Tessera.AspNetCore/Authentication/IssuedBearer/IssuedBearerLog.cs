using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>The server's own bearer's log messages. Tokens are never logged, only codes and session handles.</summary>
internal static partial class IssuedBearerLog
{
    public const string Category = "Tessera.AspNetCore.Authentication.IssuedBearer";

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Bearer token refused: {Code} ({Reason})")]
    public static partial void Rejected(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Bearer token accepted for session {Handle}")]
    public static partial void Authenticated(ILogger logger, string handle);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Session {Handle} used from another client ({Reason}); the session is flagged")]
    public static partial void BindingMismatch(ILogger logger, string handle, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "The session store did not answer while checking a bearer token")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);
}
