using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// The audit trail of the admin API: one structured event per call, with who (the admin's user
/// id), what (the action), on what (a client id or user id) and how it ended (the HTTP status).
/// Never a secret: request bodies are not logged, and generated secrets only go to the caller.
/// </summary>
internal static partial class AdminAuditLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Admin audit: {AdminUserId} {Action} {Target} -> {Status}")]
    public static partial void Performed(ILogger logger, string adminUserId, string action, string target, int status);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Admin audit: {UserId} refused {Action} {Target}: {Reason}")]
    public static partial void Refused(ILogger logger, string userId, string action, string target, string reason);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Admin audit: {AdminUserId} {Action} {Target} failed with {Error}")]
    public static partial void Failed(ILogger logger, string adminUserId, string action, string target, string error);
}
