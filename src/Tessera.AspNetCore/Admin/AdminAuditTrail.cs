using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Audit;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// Writes the admin API's events (and a user's own account deletion) to the <see cref="IAuditLog"/>.
/// The action they record has happened by then: a store that cannot take the event must not turn
/// that success into an error the caller would retry (disabling twice, or deleting a deleted user),
/// so a failed append is logged as a warning (event 9201, with the event's fields, never a secret)
/// and the answer goes out as it was.
/// </summary>
internal static partial class AdminAuditTrail
{
    /// <summary>Appends <paramref name="auditEvent"/>; false (and a warning logged) when the audit log failed.</summary>
    public static async ValueTask<bool> TryAppendAsync(IAuditLog log, AuditEvent auditEvent, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            // Not the request's token: the action is done, and its record should be too if the caller hung up.
            await log.AppendAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // Any failure of the audit store: the action's answer must still go out.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AppendFailed(logger, auditEvent.Type, auditEvent.Detail ?? "-", auditEvent.ActorId ?? "-", auditEvent.UserId ?? "-", auditEvent.Outcome ?? "-", ex);
            return false;
        }
    }

    /// <summary>The caller's address as the server saw it (after trusted forwarded headers).</summary>
    public static string? Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Audit log append failed; the {Type} event was not stored: {Detail} by {ActorId} on {UserId} -> {Outcome}")]
    private static partial void AppendFailed(ILogger logger, string type, string detail, string actorId, string userId, string outcome, Exception exception);
}
