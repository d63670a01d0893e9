using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
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
/// is audited (<see cref="AdminAuditLog"/>).
/// </summary>
internal sealed class AdminEndpointFilter(IUserStore users, ILogger<AdminEndpointFilter> logger) : IEndpointFilter
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
            return Forbidden("The admin API takes a first-party sign-in (the session cookie or /auth/token), not a token issued to an OAuth client.");
        }

        UserRecord? user = await users.FindByIdAsync(userId, http.RequestAborted).ConfigureAwait(false);
        if (user is null || !user.Roles.Contains(TesseraRoles.Admin, StringComparer.Ordinal))
        {
            AdminAuditLog.Refused(logger, userId, action, routeTarget, "not an admin");
            return Forbidden($"The admin API needs the '{TesseraRoles.Admin}' role.");
        }

        try
        {
            object? result = await next(context).ConfigureAwait(false);
            string target = http.Items[AdminAction.TargetItem] is string item ? LogValue.Escape(item) : routeTarget;
            int status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            AdminAuditLog.Performed(logger, user.Id, action, target, status);
            return result;
        }
        catch (Exception ex)
        {
            AdminAuditLog.Failed(logger, user.Id, action, (http.Items[AdminAction.TargetItem] is string item ? LogValue.Escape(item) : routeTarget), ex.GetType().Name);
            throw;
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(string detail) => TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.AdminRequired, detail);
}
