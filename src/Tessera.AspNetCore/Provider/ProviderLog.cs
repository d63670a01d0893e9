using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// The provider's log messages: client ids, user ids, session handles and error words only; never
/// codes, tokens, passwords, pending requests or usernames.
/// </summary>
public sealed partial class ProviderLog
{
    private ProviderLog()
    {
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Authorization code issued to client {ClientId} for user {UserId}")]
    internal static partial void CodeIssued(ILogger logger, string clientId, string userId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Authorization request refused with an error page: {Error}")]
    internal static partial void RefusedOnPage(ILogger logger, string error);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Authorization request of client {ClientId} answered with {Error}")]
    internal static partial void RefusedToClient(ILogger logger, string clientId, string error);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "User {UserId} signed in on the provider's page, session {Handle}")]
    internal static partial void SignedIn(ILogger logger, string userId, string handle);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Provider sign-in refused: {Code}")]
    internal static partial void SignInRefused(ILogger logger, string code);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "User {UserId} consented to client {ClientId}")]
    internal static partial void ConsentGranted(ILogger logger, string userId, string clientId);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "User {UserId} denied client {ClientId}")]
    internal static partial void ConsentDenied(ILogger logger, string userId, string clientId);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Information, Message = "User {UserId} revoked the consent of client {ClientId}, ending {Count} sessions")]
    internal static partial void ConsentRevoked(ILogger logger, string userId, string clientId, int count);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "Logout ended session {Handle}")]
    internal static partial void LoggedOut(ILogger logger, string handle);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "A pending authorization request was unreadable or expired")]
    internal static partial void PendingRefused(ILogger logger);
}
