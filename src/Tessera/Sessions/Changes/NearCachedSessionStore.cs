namespace Tessera.Sessions.Changes;

/// <summary>
/// A near cache in front of a remote <see cref="ISessionStore"/> (Redis, PostgreSQL): a session read
/// from the store is answered from memory for a short time (<see cref="SessionNearCacheOptions.EntryLifetime"/>),
/// so a request need not cross the network, and dropped as soon as the store's
/// <see cref="ISessionChangeFeed"/> says it changed anywhere.
/// Why a refusal is never turned into an acceptance:
/// <list type="bullet">
/// <item>every write goes to the store first and then drops (or, for this instance's touch, updates)
/// the local copy, so on the instance that revoked, rotated or flagged a session the next request reads the change;</item>
/// <item>other instances drop their copy when the change arrives on the feed (its latency), all copies on
/// <see cref="ISessionChangeListener.OnReset"/>, and answer nothing from memory before the feed first
/// connected or once it has been lost for longer than its <see cref="ISessionChangeFeed.Staleness"/>;</item>
/// <item>a secret rotation is never answered from memory: it is the store's one atomic compare-and-swap
/// (<see cref="ISessionSecretRotation"/>), and the copy is dropped whether it won or lost, so the loser
/// reads the winner's record; lookups by a previous secret (reuse detection) always ask the store;</item>
/// <item>a held record that looks expired is read again rather than refused (another instance may have
/// moved its idle expiry), and a revoked one stays refused: revocation is final.</item>
/// </list>
/// Create one with <see cref="Create"/>, which keeps the wrapped store's optional capabilities.
/// </summary>
public class NearCachedSessionStore : ISessionStore, ISessionChangeListener, IDisposable
{
    private readonly SessionNearCache _cache;
    private readonly FeedTrust _trust;
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;

    /// <summary>A near cache over <paramref name="inner"/> invalidated by <paramref name="feed"/>; prefer <see cref="Create"/>.</summary>
    protected NearCachedSessionStore(ISessionStore inner, ISessionChangeFeed feed, SessionNearCacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid near cache options: {problem}.", nameof(options));
        }

        Inner = inner;
        _time = time;
        _cache = new SessionNearCache(options, time);
        _trust = new FeedTrust(time, feed.Staleness);
        _subscription = feed.Subscribe(this);
    }

    /// <summary>
    /// A near cache over <paramref name="inner"/> that implements the same optional capabilities
    /// (<see cref="ISessionListing"/>, <see cref="ISessionSecretRotation"/>, <see cref="ISessionAttributeStore"/>,
    /// <see cref="ISessionCleanup"/>) as <paramref name="inner"/>: all of them (every Tessera store) or none.
    /// With all of them, it also counts active sessions (<see cref="Telemetry.IActiveSessionCount"/>, the
    /// <c>tessera.sessions.active</c> gauge) exactly when <paramref name="inner"/> does, by asking it.
    /// </summary>
    /// <exception cref="NotSupportedException">The store implements only some of them.</exception>
    public static NearCachedSessionStore Create(ISessionStore inner, ISessionChangeFeed feed, SessionNearCacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        bool all = inner is ISessionListing and ISessionSecretRotation and ISessionAttributeStore and ISessionCleanup;
        bool none = inner is not ISessionListing and not ISessionSecretRotation and not ISessionAttributeStore and not ISessionCleanup;
        return all && inner is Telemetry.IActiveSessionCount ? new CountingNearCachedSessionStore(inner, feed, options, time)
            : all ? new CapableNearCachedSessionStore(inner, feed, options, time)
            : none ? new NearCachedSessionStore(inner, feed, options, time)
            : throw new NotSupportedException($"A near cache keeps all of a store's optional capabilities or none; {inner.GetType().Name} implements only some.");
    }

    /// <summary>The wrapped store.</summary>
    protected ISessionStore Inner { get; }

    /// <summary>True while reads may be answered from memory (the feed is connected, or lost for less than its staleness).</summary>
    public bool AnswersLocally => _trust.IsFresh;

    /// <summary>How many sessions are held.</summary>
    public int Count => _cache.Count;

    /// <inheritdoc />
    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) => Inner.CreateAsync(session, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken)
    {
        if (_trust.IsFresh && Usable(_cache.ByHash(secretHash.Span)) is { } held)
        {
            return ValueTask.FromResult<SessionRecord?>(held);
        }

        return ReadAsync(_cache.Begin(), Inner.FindBySecretHashAsync(secretHash, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        if (_trust.IsFresh && Usable(_cache.ByHandle(handle)) is { } held)
        {
            return ValueTask.FromResult<SessionRecord?>(held);
        }

        return ReadAsync(_cache.Begin(), Inner.FindByHandleAsync(handle, cancellationToken));
    }

    /// <inheritdoc />
    public async ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        await Inner.TouchAsync(handle, lastSeenAt, idleExpiresAt, cancellationToken).ConfigureAwait(false);
        // The same rule as the store's: only forward, never a revoked session.
        _cache.Update(handle, held => held.IsRevoked || held.LastSeenAt >= lastSeenAt ? held : held with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt });
    }

    /// <inheritdoc />
    public async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        try
        {
            return await Inner.RevokeAsync(handle, revokedAt, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.Invalidate(handle);
        }
    }

    /// <inheritdoc />
    public async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await Inner.FlagAsync(handle, flaggedAt, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.Invalidate(handle);
        }
    }

    /// <inheritdoc />
    public void OnChange(SessionChange change) => _cache.Invalidate(change.Handle);

    /// <inheritdoc />
    public void OnReset()
    {
        _cache.Clear();
        _trust.OnConnected();
    }

    /// <inheritdoc />
    public void OnDisconnected() => _trust.OnDisconnected();

    /// <summary>Stops listening to the feed.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops listening to the feed.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription.Dispose();
            _cache.Clear();
        }
    }

    /// <summary>Drops the copy of <paramref name="handle"/>, for a write the subclass forwarded.</summary>
    protected void Invalidate(string handle) => _cache.Invalidate(handle);

    /// <summary>Drops every copy of the user's sessions.</summary>
    protected void InvalidateUser(string userId) => _cache.InvalidateUser(userId);

    /// <summary>Drops every copy.</summary>
    protected void InvalidateAll() => _cache.Clear();

    /// <summary>A held record as it may be answered: revoked (final) or still active; one that looks expired is read again.</summary>
    private SessionRecord? Usable(SessionRecord? held) =>
        held is not null && (held.IsRevoked || held.IsActiveAt(_time.GetUtcNow())) ? held : null;

    private async ValueTask<SessionRecord?> ReadAsync(long begun, ValueTask<SessionRecord?> read)
    {
        SessionRecord? found = await read.ConfigureAwait(false);
        // Nothing is held while the feed cannot be trusted, and "not found" is never held.
        if (found is not null && _trust.IsFresh)
        {
            _cache.Put(found, begun);
        }

        return found;
    }
}
