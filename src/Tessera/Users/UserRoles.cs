namespace Tessera.Users;

/// <summary>
/// Assigns roles to users (the admin API, the CLI). Roles are case-sensitive, kept in the order
/// given, without duplicates. Sessions already open carry the new roles in their next access token.
/// </summary>
public sealed class UserRoles
{
    private readonly IUserStore _users;

    /// <summary>Role reading and assignment on <paramref name="users"/>.</summary>
    public UserRoles(IUserStore users)
    {
        ArgumentNullException.ThrowIfNull(users);
        _users = users;
    }

    /// <summary>Replaces the roles of <paramref name="userId"/>. Fails with <c>role_invalid</c> or <c>user_not_found</c>.</summary>
    public async ValueTask<Outcome<UserRecord>> SetAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(roles);
        if (Problem(roles) is { } problem)
        {
            return Outcome.Failure<UserRecord>(problem);
        }

        string[] distinct = [.. roles.Distinct(StringComparer.Ordinal)];
        if (!await _users.SetRolesAsync(userId, distinct, cancellationToken).ConfigureAwait(false))
        {
            return NotFound($"no user has the id '{userId}'");
        }

        return await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false) is { } user
            ? Outcome.Success(user)
            : NotFound($"no user has the id '{userId}'");
    }

    /// <summary>
    /// Adds <paramref name="add"/> and then removes <paramref name="remove"/> from the roles of the
    /// user named <paramref name="username"/> (normalized as at sign-in); with neither, only reads them.
    /// </summary>
    public async ValueTask<Outcome<UserRecord>> ChangeAsync(string username, IReadOnlyList<string> add, IReadOnlyList<string> remove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        if (Problem([.. add, .. remove]) is { } problem)
        {
            return Outcome.Failure<UserRecord>(problem);
        }

        UserRecord? user = await _users.FindByNormalizedUsernameAsync(UsernameRules.Normalize(username), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return NotFound($"no user is named '{username}'");
        }

        if (add.Count == 0 && remove.Count == 0)
        {
            return Outcome.Success(user);
        }

        string[] roles = [.. user.Roles.Concat(add).Distinct(StringComparer.Ordinal).Except(remove, StringComparer.Ordinal)];
        return await SetAsync(user.Id, roles, cancellationToken).ConfigureAwait(false);
    }

    // The stores' own rule (RoleNames), checked here first so a bad name is an answer, not an exception.
    private static TesseraError? Problem(IReadOnlyList<string> roles) =>
        RoleNames.Problem([.. roles.Distinct(StringComparer.Ordinal)]) is { } problem ? new TesseraError(TesseraErrorCodes.RoleInvalid, problem) : null;

    private static Outcome<UserRecord> NotFound(string message) => Outcome.Failure<UserRecord>(TesseraErrorCodes.UserNotFound, message);
}
