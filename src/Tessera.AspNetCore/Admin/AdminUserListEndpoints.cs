using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>Find accounts: <c>GET /admin/users</c> (search and page) and <c>GET /admin/users/{id}</c>.</summary>
internal static class AdminUserListEndpoints
{
    /// <summary>
    /// One page of accounts in normalized-username order. <c>search</c> matches a part of the username
    /// or an exact id; <c>after</c> is the previous page's <c>next</c>; <c>limit</c> 1 to 500 (50).
    /// </summary>
    public static async Task<IResult> ListAsync(string? search, string? after, string? limit, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!AdminQuery.TryLimit(limit, 50, UserQuery.MaxLimit, out int pageSize, out IResult? problem))
        {
            return problem!;
        }

        // The cursor is a normalized username: anything else did not come from a page's next.
        if (after is not null && (UsernameRules.Problem(after) is not null || !string.Equals(after, UsernameRules.Normalize(after), StringComparison.Ordinal)))
        {
            return TesseraProblems.Validation("after", "The after cursor must be a page's next (a normalized username).");
        }

        if (search is { Length: > UsernameRules.MaximumLength * 2 })
        {
            return TesseraProblems.Validation("search", $"The search text may have at most {UsernameRules.MaximumLength * 2} characters.");
        }

        UserPage page = await administration.ListAsync(search, after, pageSize, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = Clock.Now(time);
        return TypedResults.Ok(new AdminUserListResponse([.. page.Users.Select(u => AdminUserResponse.From(u, now))], page.Next));
    }

    /// <summary>The account with this id, and how many sessions it has.</summary>
    public static async Task<IResult> GetAsync(string id, IUserStore users, UserAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AdminProblems.UserNotFound(id);
        }

        int sessions = await administration.CountSessionsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AdminUserDetailResponse.From(user, Clock.Now(time), sessions));
    }
}
