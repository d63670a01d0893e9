using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.Tests.Tokens;

/// <summary>The in-memory session store, counting its writes, with a hook that runs just before the next rotation.</summary>
internal sealed class ObservedSessionStore : ISessionStore, ISessionSecretRotation
{
    private readonly InMemorySessionStore _inner = new();

    public int Touches { get; private set; }

    public int Rotations { get; private set; }

    /// <summary>Runs once, before the next compare-and-swap reaches the store (another request winning the race).</summary>
    public Func<Task>? BeforeNextRotation { get; set; }

    /// <summary>The store without observation, for a second service racing this one.</summary>
    public InMemorySessionStore Inner => _inner;

    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) => _inner.CreateAsync(session, cancellationToken);

    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) => _inner.FindBySecretHashAsync(secretHash, cancellationToken);

    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) => _inner.FindByHandleAsync(handle, cancellationToken);

    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        Touches++;
        return _inner.TouchAsync(handle, lastSeenAt, idleExpiresAt, cancellationToken);
    }

    public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) => _inner.RevokeAsync(handle, revokedAt, reason, cancellationToken);

    public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) => _inner.FlagAsync(handle, flaggedAt, reason, cancellationToken);

    public async ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken)
    {
        if (BeforeNextRotation is { } winner)
        {
            BeforeNextRotation = null;
            await winner();
        }

        Rotations++;
        return await _inner.TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, cancellationToken);
    }

    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) => _inner.FindByPreviousSecretHashAsync(previousHash, cancellationToken);
}
