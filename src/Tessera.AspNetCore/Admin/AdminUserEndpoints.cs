using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>A user's roles over HTTP, by user id (as <c>/auth/me</c> and the session list show it).</summary>
internal static class AdminUserEndpoints
{
    public static async Task<IResult> GetRolesAsync(string id, IUserStore users, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } user
            ? TypedResults.Ok(AdminRolesResponse.From(user))
            : AdminProblems.UserNotFound(id);

    public static async Task<IResult> PutRolesAsync(string id, AdminRolesRequest? request, UserRoles roles, CancellationToken cancellationToken)
    {
        if (request?.Roles is not { } requested)
        {
            return AdminProblems.MissingBody("{\"roles\": [...]}");
        }

        Outcome<UserRecord> updated = await roles.SetAsync(id, requested, cancellationToken).ConfigureAwait(false);
        if (updated.Succeeded)
        {
            return TypedResults.Ok(AdminRolesResponse.From(updated.Value));
        }

        return updated.Error.Code == TesseraErrorCodes.RoleInvalid ? AdminProblems.Invalid("roles", updated.Error) : TesseraProblems.From(updated.Error);
    }
}
