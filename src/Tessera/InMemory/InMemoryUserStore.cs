using Tessera.Users;

namespace Tessera.InMemory;

/// <summary>Accounts in process memory: for tests and single-process experiments. One lock keeps it simple and correct.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByNormalizedName = new(StringComparer.Ordinal);

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

    public ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(userId));
        }
    }

    public ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_idByNormalizedName.TryGetValue(normalizedUsername, out string? id) ? _byId[id] : null);
        }
    }

    public ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken)
    {
        Update(userId, user => user with { PasswordHash = passwordHash }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken)
    {
        UserRecord? updated = Update(userId, user => user with { FailedSignInCount = user.FailedSignInCount + 1 }, cancellationToken);
        return ValueTask.FromResult(updated?.FailedSignInCount ?? 0);
    }

    public ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken)
    {
        Update(userId, user => user with { LockedUntil = lockedUntil, FailedSignInCount = 0 }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        RoleNames.ThrowIfInvalid(roles);
        string[] copy = [.. roles];
        return ValueTask.FromResult(Update(userId, user => user with { Roles = copy }, cancellationToken) is not null);
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
