using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Csrf;

namespace Tessera.AspNetCore.Admin;

/// <summary>Maps Tessera's admin API (<see cref="MapTesseraAdmin"/>).</summary>
public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin API under <paramref name="prefix"/>: the client registry
    /// (<c>GET/POST /clients</c>, <c>GET/PUT/DELETE /clients/{id}</c>, <c>POST /clients/{id}/secret</c>),
    /// users (<c>GET /users</c>, <c>GET/DELETE /users/{id}</c>, <c>POST /users/{id}/lock|unlock|disable|enable</c>,
    /// <c>GET/PUT /users/{id}/roles</c>), their sessions (<c>GET/DELETE /users/{id}/sessions</c>,
    /// <c>DELETE /users/{id}/sessions/{sessionId}</c>), the key ring (<c>GET /keys</c>,
    /// <c>POST /keys/rotate</c>) and the audit log (<c>GET /audit</c>); docs/admin.md describes each. Every call needs a first-party sign-in of a
    /// user with the <c>admin</c> role (401/403 problem+json otherwise) and is audited; state-changing
    /// calls are CSRF-checked like <c>/auth</c>; answers are <c>Cache-Control: no-store</c> (they may
    /// carry a new client secret).
    /// </summary>
    public static RouteGroupBuilder MapTesseraAdmin(this IEndpointRouteBuilder endpoints, string prefix = "/admin")
    {
        RouteGroupBuilder admin = endpoints.MapGroup(prefix).RequireAuthorization().RequireCsrfProtection();
        admin.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });
        admin.AddEndpointFilter<RouteGroupBuilder, AdminEndpointFilter>();

        admin.MapGet("/clients", AdminClientEndpoints.ListAsync).WithMetadata(new AdminAction("client.list"))
            .WithSummary("The registered OAuth clients (never a secret).")
            .Produces<AdminClientResponse[]>().AdminProblems();
        admin.MapPost("/clients", AdminClientEndpoints.CreateAsync).WithMetadata(new AdminAction("client.create"))
            .WithSummary("Register an OAuth client; a confidential one's secret is in this answer only.")
            .Produces<AdminClientResponse>(StatusCodes.Status201Created).AdminProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        admin.MapGet("/clients/{id}", AdminClientEndpoints.GetAsync).WithMetadata(new AdminAction("client.read"))
            .WithSummary("One OAuth client.")
            .Produces<AdminClientResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapPut("/clients/{id}", AdminClientEndpoints.PutAsync).WithMetadata(new AdminAction("client.update"))
            .WithSummary("Replace an OAuth client's settings (its id, creation time and secrets stay).")
            .Produces<AdminClientResponse>().AdminProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        admin.MapDelete("/clients/{id}", AdminClientEndpoints.DeleteAsync).WithMetadata(new AdminAction("client.delete"))
            .WithSummary("Remove an OAuth client.")
            .Produces(StatusCodes.Status204NoContent).AdminProblems(StatusCodes.Status404NotFound);
        admin.MapPost("/clients/{id}/secret", AdminClientEndpoints.RotateSecretAsync).WithMetadata(new AdminAction("client.rotate_secret"))
            .WithSummary("A new client secret, in this answer only (keepPrevious keeps the newest old one valid).")
            .Produces<AdminClientResponse>().AdminProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapGet("/users/{id}/roles", AdminUserEndpoints.GetRolesAsync).WithMetadata(new AdminAction("user.roles.read"))
            .WithSummary("A user's roles.")
            .Produces<AdminRolesResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapPut("/users/{id}/roles", AdminUserEndpoints.PutRolesAsync).WithMetadata(new AdminAction("user.roles.set"))
            .WithSummary("Replace a user's roles ('admin' opens this API).")
            .Produces<AdminRolesResponse>().AdminProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        MapUsers(admin);
        MapSessions(admin);
        MapPasskeys(admin);
        MapKeys(admin);
        admin.MapGet("/audit", AdminAuditEndpoints.ListAsync).WithMetadata(new AdminAction("audit.read"))
            .WithSummary("The audit log, newest first, by user, actor and type, paged with before.")
            .Produces<AdminAuditListResponse>().AdminProblems(StatusCodes.Status400BadRequest);
        return admin;
    }

    private static void MapUsers(RouteGroupBuilder admin)
    {
        admin.MapGet("/users", AdminUserListEndpoints.ListAsync).WithMetadata(new AdminAction("user.list"))
            .WithSummary("List and search accounts, paged with after.")
            .Produces<AdminUserListResponse>().AdminProblems(StatusCodes.Status400BadRequest);
        admin.MapGet("/users/{id}", AdminUserListEndpoints.GetAsync).WithMetadata(new AdminAction("user.read"))
            .WithSummary("One account, with its number of active sessions.")
            .Produces<AdminUserDetailResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapPost("/users/{id}/lock", AdminAccountEndpoints.LockAsync).WithMetadata(new AdminAction("user.lock"))
            .WithSummary("Lock an account until a time (or until unlocked): no new sign-in; its sessions go on.")
            .Produces<AdminUserResponse>().AdminProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/users/{id}/unlock", AdminAccountEndpoints.UnlockAsync).WithMetadata(new AdminAction("user.unlock"))
            .WithSummary("Lift an account's lock and reset its account-wide failed-password count.")
            .Produces<AdminUserResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapPost("/users/{id}/disable", AdminAccountEndpoints.DisableAsync).WithMetadata(new AdminAction("user.disable"))
            .WithSummary("Disable an account and end every one of its sessions.")
            .Produces<AdminUserResponse>().AdminProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/users/{id}/enable", AdminAccountEndpoints.EnableAsync).WithMetadata(new AdminAction("user.enable"))
            .WithSummary("Enable a disabled account (its ended sessions stay ended).")
            .Produces<AdminUserResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{id}", AdminAccountEndpoints.DeleteAsync).WithMetadata(new AdminAction("user.delete"))
            .WithSummary("Delete an account: its sessions end, its consents go, its name becomes free.")
            .Produces(StatusCodes.Status204NoContent).AdminProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    // #16: a user's passkeys (a lost or stolen authenticator is removed here).
    private static void MapPasskeys(RouteGroupBuilder admin)
    {
        admin.MapGet("/users/{id}/passkeys", Tessera.AspNetCore.Passkeys.AdminPasskeyEndpoints.ListAsync).WithMetadata(new AdminAction("user.passkeys.list"))
            .WithSummary("A user's passkeys: name, created, last used, synced, transports.")
            .Produces<Tessera.AspNetCore.Passkeys.PasskeyListResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{id}/passkeys/{credentialId}", Tessera.AspNetCore.Passkeys.AdminPasskeyEndpoints.DeleteAsync).WithMetadata(new AdminAction("user.passkey.remove"))
            .WithSummary("Remove one passkey of a user.")
            .Produces(StatusCodes.Status204NoContent).AdminProblems(StatusCodes.Status404NotFound);
    }

    private static void MapSessions(RouteGroupBuilder admin)
    {
        admin.MapGet("/users/{id}/sessions", AdminSessionEndpoints.ListAsync).WithMetadata(new AdminAction("user.sessions.list"))
            .WithSummary("A user's active sessions: device, address, last seen, kind, client, created, expiry.")
            .Produces<AdminSessionListResponse>().AdminProblems(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{id}/sessions/{sessionId}", AdminSessionEndpoints.EndOneAsync).WithMetadata(new AdminAction("user.session.end"))
            .WithSummary("End one session of a user.")
            .Produces(StatusCodes.Status204NoContent).AdminProblems(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{id}/sessions", AdminSessionEndpoints.EndAllAsync).WithMetadata(new AdminAction("user.sessions.end_all"))
            .WithSummary("End every session of a user.")
            .Produces<AdminEndedResponse>().AdminProblems(StatusCodes.Status404NotFound);
    }

    private static void MapKeys(RouteGroupBuilder admin)
    {
        admin.MapGet("/keys", AdminKeyEndpoints.ListAsync).WithMetadata(new AdminAction("key.list"))
            .WithSummary("The signing keys of the ring with their states (current, next, retiring, retired) and dates.")
            .Produces<AdminKeyListResponse>().AdminProblems(StatusCodes.Status503ServiceUnavailable);
        admin.MapPost("/keys/rotate", AdminKeyEndpoints.RotateAsync).WithMetadata(new AdminAction("key.rotate"))
            .WithSummary("Add a new signing key (after the publication lead, or at once), then list the ring.")
            .Produces<AdminKeyListResponse>().AdminProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// The OpenAPI description every admin endpoint shares: the Admin tag, the 401/403 of the admin
    /// check (and the CSRF check), 503 when a store is down, and the endpoint's own problem statuses.
    /// </summary>
    private static RouteHandlerBuilder AdminProblems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        endpoint.WithTags("Admin");
        foreach (int status in new[] { StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden }.Concat(statuses).Append(StatusCodes.Status503ServiceUnavailable).Distinct())
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }
}
