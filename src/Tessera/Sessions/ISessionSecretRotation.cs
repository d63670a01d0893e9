namespace Tessera.Sessions;

/// <summary>
/// Optional capability: replace a session's secret hash in one atomic compare-and-swap. Token mode
/// rotates the refresh token this way; of two concurrent refreshes with the same token exactly one
/// wins, and the loser sees the previous hash recorded by the winner.
/// </summary>
public interface ISessionSecretRotation
{
    /// <summary>
    /// Sets the secret hash to <paramref name="nextHash"/> only if it is still
    /// <paramref name="expectedHash"/> and the session is not revoked, and in the same atomic step
    /// touches the session: <see cref="SessionRecord.PreviousSecretHash"/> becomes
    /// <paramref name="expectedHash"/>, <see cref="SessionRecord.SecretRotatedAt"/> becomes
    /// <paramref name="rotatedAt"/>, <see cref="SessionRecord.LastSeenAt"/> becomes
    /// <paramref name="rotatedAt"/> (only forward: a later last-seen time is kept) and
    /// <see cref="SessionRecord.IdleExpiresAt"/> becomes <paramref name="idleExpiresAt"/>. A refresh
    /// is therefore one store write, with no window between the swap and the touch. True when it
    /// was swapped; when false, nothing changed.
    /// </summary>
    ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash,
        ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt,
        CancellationToken cancellationToken);

    /// <summary>
    /// The session whose <em>previous</em> secret hashes to <paramref name="previousHash"/>, revoked
    /// or expired included; null when none. Callers compare the hash again in constant time.
    /// </summary>
    ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken);

    /// <summary>
    /// The session whose secret once hashed to <paramref name="retiredHash"/> (any secret replaced by
    /// a rotation, the previous one included), revoked or expired included; null when none. Token
    /// mode tells a replayed old refresh token (reuse: revoke) from an unknown one this way.
    /// </summary>
    ValueTask<SessionRecord?> FindByRetiredSecretHashAsync(ReadOnlyMemory<byte> retiredHash, CancellationToken cancellationToken);
}
