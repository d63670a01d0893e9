namespace Tessera.Sessions;

/// <summary>
/// Where sessions live. Small on purpose: optional capabilities are separate interfaces
/// (<see cref="ISessionListing"/>, <see cref="ISessionAttributeStore"/>,
/// <see cref="ISessionSecretRotation"/>, <see cref="ISessionCleanup"/>). Expired and revoked
/// records are kept until <see cref="ISessionCleanup.PurgeAsync"/> removes them, so a replayed
/// secret is told "revoked" or "expired" rather than "unknown". An unreachable store throws
/// <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface ISessionStore
{
    /// <summary>Adds a new session. Handles and secret hashes are unique.</summary>
    ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>
    /// The session whose current secret hashes to <paramref name="secretHash"/>, revoked or expired
    /// included; null when none. Callers compare the hash again in constant time.
    /// </summary>
    ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken);

    /// <summary>The session with <paramref name="handle"/> (its public id), revoked or not; null when there is none.</summary>
    ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken);

    /// <summary>
    /// Records activity. Only moves forward: a touch older than the stored "last seen" (a slower
    /// concurrent request) changes nothing, and a revoked session is left alone.
    /// </summary>
    ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken);

    /// <summary>Ends a session; false when it does not exist or was already revoked (the first reason stays).</summary>
    ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken);

    /// <summary>Marks a session as suspicious; the first flag stays.</summary>
    ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken);
}
