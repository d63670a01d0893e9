namespace Tessera.Users;

/// <summary>
/// Where accounts live. Every call is cancellable; an unreachable store throws
/// <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface IUserStore
{
    /// <summary>Adds <paramref name="user"/>; false when its normalized username is taken.</summary>
    ValueTask<bool> TryCreateAsync(UserRecord user, CancellationToken cancellationToken);

    /// <summary>The user with <paramref name="userId"/>; null when there is none.</summary>
    ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user whose normalized username is <paramref name="normalizedUsername"/>; null when there is none.</summary>
    ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    /// <summary>Replaces the stored password hash (rehash on sign-in, password change).</summary>
    ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically adds one to the failure count and returns the new count. Kept for stores and
    /// callers of the persistent columns; Tessera's lockout no longer uses it (see <see cref="PasswordLockout"/>).
    /// </summary>
    ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Replaces the user's roles; false when the user does not exist.</summary>
    ValueTask<bool> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken);

    /// <summary>Sets the lockout end (null to unlock) and resets the failure count to zero. Not used by Tessera's lockout, like <see cref="IncrementFailedSignInsAsync"/>.</summary>
    ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken);
}
