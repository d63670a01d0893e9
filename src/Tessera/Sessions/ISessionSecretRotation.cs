namespace Tessera.Sessions;

/// <summary>
/// Optional capability: replace a session's secret hash in one atomic compare-and-swap. Token mode
/// rotates the refresh token this way; of two concurrent refreshes with the same token exactly one
/// wins, and the loser is detected as reuse.
/// </summary>
public interface ISessionSecretRotation
{
    /// <summary>
    /// Sets the secret hash to <paramref name="nextHash"/> only if it is still
    /// <paramref name="expectedHash"/> and the session is not revoked; true when it was swapped.
    /// </summary>
    ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, CancellationToken cancellationToken);
}
