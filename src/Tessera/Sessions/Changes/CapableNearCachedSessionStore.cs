namespace Tessera.Sessions.Changes;

/// <summary>
/// <see cref="NearCachedSessionStore"/> over a store with every optional capability: listings,
/// attributes and lookups by a previous secret always ask the store; every write drops the copies it affects.
/// </summary>
internal class CapableNearCachedSessionStore(ISessionStore inner, ISessionChangeFeed feed, SessionNearCacheOptions options, TimeProvider time)
    : NearCachedSessionStore(inner, feed, options, time), ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup
{
    private ISessionListing Listing => (ISessionListing)Inner;

    private ISessionSecretRotation Rotation => (ISessionSecretRotation)Inner;

    private ISessionAttributeStore Attributes => (ISessionAttributeStore)Inner;

    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Listing.ListActiveForUserAsync(userId, now, cancellationToken);

    public async ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        try
        {
            return await Listing.RevokeAllForUserAsync(userId, exceptHandle, revokedAt, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            InvalidateUser(userId);
        }
    }

    // Never answered from memory: the store's compare-and-swap decides, across every instance, which
    // of two concurrent refreshes wins. The copy is dropped either way (the loser must read the winner's record).
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash,
        DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken) =>
        TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, PreviousSecretLookup.ByHash, cancellationToken);

    // Passed on as asked (#13): the default of the interface would index the retired hash again.
    public async ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash,
        DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, PreviousSecretLookup previousLookup, CancellationToken cancellationToken)
    {
        try
        {
            return await Rotation.TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, previousLookup, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Invalidate(handle);
        }
    }

    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) =>
        Rotation.FindByPreviousSecretHashAsync(previousHash, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) =>
        Attributes.GetAttributesAsync(handle, cancellationToken);

    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        Attributes.SetAttributeAsync(handle, key, value, maxAttributes, cancellationToken);

    public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        Attributes.RemoveAttributeAsync(handle, key, cancellationToken);

    public async ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        try
        {
            return await ((ISessionCleanup)Inner).PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            InvalidateAll();
        }
    }
}
