namespace Tessera.Sessions;

/// <summary>
/// Optional capability: replace a session's secret hash in one atomic compare-and-swap that also
/// records the activity (the touch), so a refresh is one store write. Storage per session stays
/// constant however often it rotates: the current and the previous hash, a generation counter and
/// the rotating client's fingerprint; no retired hash is kept (issue #14 finding 5). Token mode rotates the refresh
/// token this way; of two concurrent refreshes with the same token exactly one wins, and the loser
/// sees the previous hash recorded by the winner.
/// </summary>
public interface ISessionSecretRotation
{
    /// <summary>
    /// Sets the secret hash to <paramref name="nextHash"/> only if it is still
    /// <paramref name="expectedHash"/> and the session is not revoked, and in the same atomic step
    /// records the activity the rotation is: <see cref="SessionRecord.PreviousSecretHash"/> =
    /// <paramref name="expectedHash"/>, <see cref="SessionRecord.SecretRotatedAt"/> = <paramref name="rotatedAt"/>,
    /// <see cref="SessionRecord.LastSeenAt"/> = <paramref name="rotatedAt"/> (only forward: never moved
    /// back) and <see cref="SessionRecord.IdleExpiresAt"/> = <paramref name="idleExpiresAt"/>. One step,
    /// so no reader ever sees the new secret with the old idle expiry. In the same step
    /// <see cref="SessionRecord.Generation"/> grows by one and <see cref="SessionRecord.RotatedBy"/>
    /// becomes <paramref name="rotatedBy"/> (null: none recorded). True when it was swapped.
    /// </summary>
    ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash,
        ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt,
        ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken);

    /// <summary>As the other overload, recording no rotating client (a cookie secret's rotation).</summary>
    ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash,
        ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt,
        CancellationToken cancellationToken) =>
        TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="previousLookup"/> (which is <see cref="PreviousSecretLookup.ByHash"/>),
    /// saying how the retired secret will be looked for: with <see cref="PreviousSecretLookup.ByHandle"/>
    /// the record still gets <see cref="SessionRecord.PreviousSecretHash"/>, but the store need not
    /// index it, and any index of the hash the rotation before retired is dropped as always (issue #13).
    /// A store without such an index keeps this default, which rotates as the other overload.
    /// </summary>
    ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash,
        ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt,
        ReadOnlyMemory<byte>? rotatedBy, PreviousSecretLookup previousLookup, CancellationToken cancellationToken) =>
        TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, cancellationToken);

    /// <summary>
    /// The session whose <em>previous</em> secret hashes to <paramref name="previousHash"/>, revoked
    /// or expired included; null when none (and possibly when the rotation that retired it said
    /// <see cref="PreviousSecretLookup.ByHandle"/>). Callers compare the hash again in constant time.
    /// </summary>
    ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken);
}
