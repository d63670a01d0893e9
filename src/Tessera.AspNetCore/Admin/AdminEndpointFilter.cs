using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// Lets a call through to the admin API only for a user whose stored roles hold
/// <see cref="TesseraRoles.Admin"/>, read from the user store on this request (so a role removed
/// takes effect at once, and only admin calls pay for the read). The caller must be signed in
/// first-party (the session cookie or <c>/auth/token</c>): a token issued to an OAuth client acts
/// for that client, which an admin's consent to it does not make an administrator. Then every call
/// is audited: a log line (<see cref="AdminAuditLog"/>) and an <see cref="AuditEventTypes.AdminAction"/>
/// event in the <see cref="IAuditLog"/>, refusals of signed-in callers included (an anonymous call
/// is only answered 401: recording those would let anyone fill the audit log).
/// </summary>
internal sealed class AdminEndpointFilter(IUserStore users, IAuditLog audit, TimeProvider time, ILogger<AdminEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        string action = http.GetEndpoint()?.Metadata.GetMetadata<AdminAction>()?.Name ?? LogValue.Escape(http.Request.Path.Value ?? "admin");
        // A route value is decoded from the URL: escaped before it reaches the audit log.
        string routeTarget = http.GetRouteValue("id") is string id ? LogValue.Escape(id) : "-";

        SessionRecord? session = http.GetTesseraSession();
        string? userId = http.User.FindFirst(TesseraClaimTypes.Subject)?.Value;
        if (session is null || userId is null)
        {
            return TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "Sign in to use the admin API.");
        }

        if (session.ClientId is not null)
        {
            AdminAuditLog.Refused(logger, userId, action, routeTarget, $"a token issued to the client '{session.ClientId}'");
            await AuditAsync(http, userId, action, StatusCodes.Status403Forbidden.ToString(CultureInfo.InvariantCulture), session.ClientId).ConfigureAwait(false);
            return Forbidden("The admin API takes a first-party sign-in (the session cookie or /auth/token), not a token issued to an OAuth client.");
        }

        UserRecord? user = await users.FindByIdAsync(userId, http.RequestAborted).ConfigureAwait(false);
        if (user is null || !user.Roles.Contains(TesseraRoles.Admin, StringComparer.Ordinal))
        {
            AdminAuditLog.Refused(logger, userId, action, routeTarget, "not an admin");
            await AuditAsync(http, userId, action, StatusCodes.Status403Forbidden.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return Forbidden($"The admin API needs the '{TesseraRoles.Admin}' role.");
        }

        // Disabling ends the admin's sessions, but one created by a sign-in that raced with the
        // disable would keep the admin API: the account's standing is checked on every call.
        if (user.DisabledAt is not null)
        {
            AdminAuditLog.Refused(logger, userId, action, routeTarget, "the account is disabled");
            await AuditAsync(http, userId, action, StatusCodes.Status403Forbidden.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.AccountDisabled, "This account is disabled.");
        }

        try
        {
            object? result = await next(context).ConfigureAwait(false);
            string target = http.Items[AdminAction.TargetItem] is string item ? LogValue.Escape(item) : routeTarget;
            int status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            AdminAuditLog.Performed(logger, user.Id, action, target, status);
            await AuditAsync(http, user.Id, action, status.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex)
        {
            AdminAuditLog.Failed(logger, user.Id, action, (http.Items[AdminAction.TargetItem] is string item ? LogValue.Escape(item) : routeTarget), ex.GetType().Name);
            // The action may have happened in part (a store failing halfway): the attempt is recorded too.
            await AuditAsync(http, user.Id, action, $"failed:{ex.GetType().Name}").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One <see cref="AuditEventTypes.AdminAction"/> event: the admin (or refused caller) as actor, the
    /// action as detail, the status as outcome, and the target by kind: the route's user or client id
    /// (or the one an endpoint named, <see cref="AdminAction.TargetItem"/>) and session id.
    /// </summary>
    private ValueTask<bool> AuditAsync(HttpContext http, string actorId, string action, string outcome, string? callerClientId = null)
    {
        // A route value is whatever the caller put in the URL: cut to what an audit field holds (AuditEventLimits).
        string? target = Bounded(http.Items[AdminAction.TargetItem] as string ?? http.GetRouteValue("id") as string);
        bool onClient = action.StartsWith("client.", StringComparison.Ordinal);
        return AdminAuditTrail.TryAppendAsync(audit, new AuditEvent
        {
            At = Clock.Now(time),
            Type = AuditEventTypes.AdminAction,
            ActorId = actorId,
            UserId = onClient ? null : target,
            ClientId = onClient ? target : callerClientId,
            SessionId = Bounded(http.GetRouteValue("sessionId") as string),
            Address = AdminAuditTrail.Address(http),
            Outcome = outcome,
            Detail = action,
        }, logger);
    }

    private static string? Bounded(string? value) => AuditEventLimits.Fit(value);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(string detail) => TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.AdminRequired, detail);
}
