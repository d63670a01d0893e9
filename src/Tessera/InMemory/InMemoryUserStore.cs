using Tessera.Users;

namespace Tessera.InMemory;

/// <summary>Accounts in process memory: for tests and single-process experiments. One lock keeps it simple and correct.</summary>
public sealed class InMemoryUserStore : IUserStore, IUserDirectory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByNormalizedName = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        RoleNames.ThrowIfInvalid(user.Roles);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_idByNormalizedName.ContainsKey(user.NormalizedUsername) || _byId.ContainsKey(user.Id))
            {
                return ValueTask.FromResult(false);
            }

            _byId[user.Id] = user with { Roles = [.. user.Roles] };
            _idByNormalizedName[user.NormalizedUsername] = user.Id;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(userId));
        }
    }

    /// <inheritdoc />
    public ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_idByNormalizedName.TryGetValue(normalizedUsername, out string? id) ? _byId[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken)
    {
        Update(userId, user => user with { PasswordHash = passwordHash }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken)
    {
        UserRecord? updated = Update(userId, user => user with { FailedSignInCount = user.FailedSignInCount + 1 }, cancellationToken);
        return ValueTask.FromResult(updated?.FailedSignInCount ?? 0);
    }

    /// <inheritdoc />
    public ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken)
    {
        Update(userId, user => user with { LockedUntil = lockedUntil, FailedSignInCount = 0 }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        RoleNames.ThrowIfInvalid(roles);
        string[] copy = [.. roles];
        return ValueTask.FromResult(Update(userId, user => user with { Roles = copy }, cancellationToken) is not null);
    }

    /// <inheritdoc />
    public ValueTask<UserPage> ListAsync(UserQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        int limit = Math.Clamp(query.Limit, 1, UserQuery.MaxLimit);
        lock (_gate)
        {
            List<UserRecord> matches = _byId.Values
                .Where(user => query.After is null || string.CompareOrdinal(user.NormalizedUsername, query.After) > 0)
                .Where(user => query.Search is null || user.Id == query.Search || user.NormalizedUsername.Contains(query.Search, StringComparison.Ordinal))
                .OrderBy(user => user.NormalizedUsername, StringComparer.Ordinal)
                .Take(limit + 1)
                .ToList();
            return ValueTask.FromResult(matches.Count > limit
                ? new UserPage(matches[..limit], matches[limit - 1].NormalizedUsername)
                : new UserPage(matches, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> SetDisabledAsync(string userId, DateTimeOffset? disabledAt, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Update(userId, user => user with { DisabledAt = disabledAt }, cancellationToken) is not null);

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.Remove(userId, out UserRecord? user))
            {
                return ValueTask.FromResult(false);
            }

            _idByNormalizedName.Remove(user.NormalizedUsername);
            return ValueTask.FromResult(true);
        }
    }

    private UserRecord? Update(string userId, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(userId, out UserRecord? user))
            {
                return null;
            }

            UserRecord updated = change(user);
            _byId[userId] = updated;
            return updated;
        }
    }
}
