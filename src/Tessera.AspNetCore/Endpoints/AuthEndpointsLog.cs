using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// The auth endpoints' log messages: ids and codes only, never passwords, hashes or cookie values.
/// Usernames are not logged either (they are personal data and often mistyped passwords).
/// </summary>
public sealed partial class AuthEndpointsLog
{
    private AuthEndpointsLog()
    {
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "User {UserId} registered")]
    internal static partial void Registered(ILogger logger, string userId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "User {UserId} signed in, session {Handle}")]
    internal static partial void SignedIn(ILogger logger, string userId, string handle);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Sign-in refused: {Code}")]
    internal static partial void SignInRefused(ILogger logger, string code);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Sign-in attempts for one account exceeded the limit")]
    internal static partial void AccountRateLimited(ILogger logger);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Session {Handle} revoked: {Reason}")]
    internal static partial void Revoked(ILogger logger, string handle, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "User {UserId} ended {Count} sessions: {Reason}")]
    internal static partial void RevokedMany(ILogger logger, string userId, int count, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "User {UserId} signed in for tokens, session {Handle}")]
    internal static partial void TokensIssued(ILogger logger, string userId, string handle);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Refresh token rotated, session {Handle}")]
    internal static partial void Refreshed(ILogger logger, string handle);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Refresh refused: {Code}")]
    internal static partial void RefreshRefused(ILogger logger, string code);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "A rotated-away refresh token came back; its session was revoked")]
    internal static partial void RefreshTokenReused(ILogger logger);
}
