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

    /// <summary>
    /// The user's roles; null when the user no longer exists or an administrator disabled them: their
    /// sessions may not refresh. Disabling ends the sessions too, but a session created by a sign-in
    /// that raced with the disable would otherwise refresh for as long as its refresh token lives.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        if (users is null)
        {
            return None;
        }

        UserRecord? user = await users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is { DisabledAt: null } ? user.Roles : null;
    }
}
