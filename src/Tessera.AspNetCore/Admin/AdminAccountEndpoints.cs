using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.AspNetCore.Http;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// What an admin does to an account: lock, unlock, disable, enable, delete. Disabling and deleting
/// end every session of the user at once (<see cref="UserAdministration"/>). An admin cannot lock,
/// disable or delete their own account here (409 <c>admin_self_action</c>): done by mistake, it
/// could leave nobody able to administer the server; another admin, or the CLI, can.
/// </summary>
internal static class AdminAccountEndpoints
{
    public static async Task<IResult> LockAsync(string id, AdminLockRequest? request, HttpContext http, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (SelfAction(http, id, "lock") is { } refused)
        {
            return refused;
        }

        DateTimeOffset now = Clock.Now(time);
        DateTimeOffset? until = null;
        if (request?.Until is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                return TesseraProblems.Validation("until", "The until must be an ISO 8601 date and time (2030-01-31T18:00:00Z), or null for \"until unlocked\".");
            }

            if (parsed <= now)
            {
                return TesseraProblems.Validation("until", "The lock must end in the future.");
            }

            until = parsed;
        }

        return Answer(await administration.LockAsync(id, until, cancellationToken).ConfigureAwait(false), id, now);
    }

    public static async Task<IResult> UnlockAsync(string id, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken) =>
        Answer(await administration.UnlockAsync(id, cancellationToken).ConfigureAwait(false), id, Clock.Now(time));

    public static async Task<IResult> DisableAsync(string id, HttpContext http, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken) =>
        (IResult?)SelfAction(http, id, "disable") ?? Answer(await administration.DisableAsync(id, cancellationToken).ConfigureAwait(false), id, Clock.Now(time));

    public static async Task<IResult> EnableAsync(string id, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken) =>
        Answer(await administration.EnableAsync(id, cancellationToken).ConfigureAwait(false), id, Clock.Now(time));

    /// <summary>Deletes the account (its name becomes free); audited as <c>account.deleted</c> by the admin besides the admin action.</summary>
    public static async Task<IResult> DeleteAsync(string id, HttpContext http, UserAdministration administration, IAuditLog audit, TimeProvider time, ILogger<AdminEndpointFilter> logger, CancellationToken cancellationToken)
    {
        if (SelfAction(http, id, "delete") is { } refused)
        {
            return refused;
        }

        Outcome<UserRecord> deleted = await administration.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (!deleted.Succeeded)
        {
            return AdminProblems.UserNotFound(id);
        }

        await AdminAuditTrail.TryAppendAsync(audit, new AuditEvent
        {
            At = Clock.Now(time),
            Type = AuditEventTypes.AccountDeleted,
            ActorId = AdminQuery.CallerId(http),
            UserId = id,
            Address = AdminAuditTrail.Address(http),
            Outcome = "ok",
            Detail = "by an admin",
        }, logger).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static IResult Answer(Outcome<UserRecord> changed, string id, DateTimeOffset now) =>
        changed.Succeeded ? TypedResults.Ok(AdminUserResponse.From(changed.Value, now))
            : changed.Error.Code == TesseraErrorCodes.UserNotFound ? AdminProblems.UserNotFound(id)
            : TesseraProblems.From(changed.Error);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? SelfAction(HttpContext http, string id, string action) =>
        string.Equals(id, AdminQuery.CallerId(http), StringComparison.Ordinal)
            ? TesseraProblems.Problem(StatusCodes.Status409Conflict, TesseraErrorCodes.AdminSelfAction,
                $"An admin cannot {action} their own account through the admin API: it could leave nobody able to administer the server. Ask another admin, or use the tessera CLI.")
            : null;
}
