using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Csrf;

namespace Tessera.AspNetCore.Admin;

/// <summary>Maps the admin API (<c>/admin/…</c>, for users with the <c>admin</c> role).</summary>
public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin API under <paramref name="prefix"/>: the client registry
    /// (<c>GET/POST /clients</c>, <c>GET/PUT/DELETE /clients/{id}</c>, <c>POST /clients/{id}/secret</c>)
    /// and users' roles (<c>GET/PUT /users/{id}/roles</c>). Every call needs a first-party sign-in of a
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

        admin.MapGet("/clients", AdminClientEndpoints.ListAsync).WithMetadata(new AdminAction("client.list"));
        admin.MapPost("/clients", AdminClientEndpoints.CreateAsync).WithMetadata(new AdminAction("client.create"));
        admin.MapGet("/clients/{id}", AdminClientEndpoints.GetAsync).WithMetadata(new AdminAction("client.read"));
        admin.MapPut("/clients/{id}", AdminClientEndpoints.PutAsync).WithMetadata(new AdminAction("client.update"));
        admin.MapDelete("/clients/{id}", AdminClientEndpoints.DeleteAsync).WithMetadata(new AdminAction("client.delete"));
        admin.MapPost("/clients/{id}/secret", AdminClientEndpoints.RotateSecretAsync).WithMetadata(new AdminAction("client.rotate_secret"));
        admin.MapGet("/users/{id}/roles", AdminUserEndpoints.GetRolesAsync).WithMetadata(new AdminAction("user.roles.read"));
        admin.MapPut("/users/{id}/roles", AdminUserEndpoints.PutRolesAsync).WithMetadata(new AdminAction("user.roles.set"));
        return admin;
    }
}
