using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Tests;

/// <summary>A switch that makes the wrapped stores fail the way an unreachable database does.</summary>
internal sealed class StoreOutage
{
    public bool Down { get; set; }

    public void ThrowIfDown()
    {
        if (Down)
        {
            throw new StoreUnavailableException("Simulated outage.");
        }
    }
}

internal sealed class FailingUserStore(IUserStore inner, StoreOutage outage) : IUserStore
{
    public ValueTask<bool> TryCreateAsync(UserRecord user, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.TryCreateAsync(user, cancellationToken); }

    public ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.FindByIdAsync(userId, cancellationToken); }

    public ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.FindByNormalizedUsernameAsync(normalizedUsername, cancellationToken); }

    public ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.UpdatePasswordHashAsync(userId, passwordHash, cancellationToken); }

    public ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.IncrementFailedSignInsAsync(userId, cancellationToken); }

    public ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.SetLockoutAsync(userId, lockedUntil, cancellationToken); }

    public ValueTask<bool> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.SetRolesAsync(userId, roles, cancellationToken); }
}

internal sealed class FailingSessionStore(ISessionStore inner, StoreOutage outage) : ISessionStore
{
    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.CreateAsync(session, cancellationToken); }

    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.FindBySecretHashAsync(secretHash, cancellationToken); }

    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.FindByHandleAsync(handle, cancellationToken); }

    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.TouchAsync(handle, lastSeenAt, idleExpiresAt, cancellationToken); }

    public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.RevokeAsync(handle, revokedAt, reason, cancellationToken); }

    public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) { outage.ThrowIfDown(); return inner.FlagAsync(handle, flaggedAt, reason, cancellationToken); }
}

internal sealed class FailingHealthProbe(StoreOutage outage) : IStoreHealthProbe
{
    public string Name => "simulated";

    public ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        outage.ThrowIfDown();
        return ValueTask.CompletedTask;
    }
}
