using Tessera.Users;

namespace Tessera.Tokens;

/// <summary>
/// The roles an access token carries, read from the user at each issue and refresh, so a role an
/// administrator takes away leaves the tokens at the next refresh. Without a user store (token tests
/// that need none) every user has no roles.
/// </summary>
internal sealed class UserRoles(IUserStore? users)
{
    private static readonly IReadOnlyList<string> None = [];

    /// <summary>The user's roles; null when the user no longer exists (their sessions may not refresh).</summary>
    public async ValueTask<IReadOnlyList<string>?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        if (users is null)
        {
            return None;
        }

        UserRecord? user = await users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user?.Roles;
    }
}
