using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.Tests.Sessions.Changes;

/// <summary>The real in-memory store, counting the reads that reach it; a read by handle can be held until the test releases it.</summary>
internal sealed class CountingSessionStore : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup
{
    private readonly InMemorySessionStore _inner = new();
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>When set, the next read by handle reads the store, then waits for this before answering.</summary>
    public TaskCompletionSource? HoldNextRead { get; set; }

    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) => _inner.CreateAsync(session, cancellationToken);

    /// <summary>The hash array each read by secret hash was given, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<byte[]> SecretHashesRead { get; } = new();

    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        SecretHashesRead.Enqueue(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(secretHash, out ArraySegment<byte> segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : secretHash.ToArray());
        return _inner.FindBySecretHashAsync(secretHash, cancellationToken);
    }

    public async ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        SessionRecord? found = await _inner.FindByHandleAsync(handle, cancellationToken);
        if (HoldNextRead is { } hold)
        {
            HoldNextRead = null;
            await hold.Task;
        }

        return found;
    }

    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        _inner.TouchAsync(handle, lastSeenAt, idleExpiresAt, cancellationToken);

    public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _inner.RevokeAsync(handle, revokedAt, reason, cancellationToken);

    public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        _inner.FlagAsync(handle, flaggedAt, reason, cancellationToken);

    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        _inner.ListActiveForUserAsync(userId, now, cancellationToken);

    public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _inner.RevokeAllForUserAsync(userId, exceptHandle, revokedAt, reason, cancellationToken);

    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken) =>
        _inner.TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, cancellationToken);

    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) =>
        _inner.FindByPreviousSecretHashAsync(previousHash, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) => _inner.GetAttributesAsync(handle, cancellationToken);

    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        _inner.SetAttributeAsync(handle, key, value, maxAttributes, cancellationToken);

    public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) => _inner.RemoveAttributeAsync(handle, key, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => _inner.PurgeAsync(cutoff, cancellationToken);
}
