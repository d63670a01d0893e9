using Tessera.Sessions;

namespace Tessera.InMemory;

/// <summary>
/// Sessions in process memory, with every optional capability. One lock serializes all access, so
/// each method is atomic (the compare-and-swap rotation included). Each session is held compactly
/// (<see cref="CompactSession"/>: inline hash, address and times, shared strings from a bounded
/// pool) and indexed by handle, by current and previous secret hash and by user (a list through
/// the user's sessions), so listing or revoking a user's sessions does not scan the store.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup, Telemetry.IActiveSessionCount
{
    private readonly Lock _gate = new();
    private readonly HashSet<CompactSession> _byHandle = new(CompactSessionComparers.ByHandle);
    private readonly HashSet<CompactSession> _bySecretHash = new(CompactSessionComparers.BySecretHash);
    private readonly HashSet<CompactSession> _byPreviousHash = new(CompactSessionComparers.ByPreviousHash);
    private readonly Dictionary<string, CompactSession> _firstOfUser = new(StringComparer.Ordinal);
    private readonly HashSet<CompactSession>.AlternateLookup<string> _handles;
    private readonly HashSet<CompactSession>.AlternateLookup<ReadOnlySpan<byte>> _secretHashes;
    private readonly HashSet<CompactSession>.AlternateLookup<ReadOnlySpan<byte>> _previousHashes;

    /// <summary>An empty store.</summary>
    public InMemorySessionStore()
    {
        _handles = _byHandle.GetAlternateLookup<string>();
        _secretHashes = _bySecretHash.GetAlternateLookup<ReadOnlySpan<byte>>();
        _previousHashes = _byPreviousHash.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The shared strings (user agents, kinds, sign-in methods, reasons, OAuth clients and scopes).</summary>
    internal BoundedStringInternPool Strings { get; } = new();

    /// <inheritdoc />
    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_handles.Contains(session.Handle) || _secretHashes.Contains(session.SecretHash.Span))
            {
                throw new InvalidOperationException("A session with this handle or secret already exists.");
            }

            _firstOfUser.TryGetValue(session.UserId, out CompactSession? first);
            // One user id instance for all of the user's sessions: the one the index already holds.
            CompactSession compact = CompactSession.From(session, first?.UserId ?? session.UserId, Strings);
            _byHandle.Add(compact);
            _bySecretHash.Add(compact);
            if (compact.Extra?.PreviousSecretHash is not null && !_previousHashes.Contains(compact.Extra.PreviousSecretHash))
            {
                _byPreviousHash.Add(compact);
            }

            compact.NextOfUser = first;
            _firstOfUser[compact.UserId] = compact;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_secretHashes.TryGetValue(secretHash.Span, out CompactSession? session) ? session.ToRecord() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_handles.TryGetValue(handle, out CompactSession? session) ? session.ToRecord() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_handles.TryGetValue(handle, out CompactSession? session) && !session.IsRevoked && lastSeenAt.UtcTicks > session.LastSeenTicks)
            {
                session.LastSeenTicks = lastSeenAt.UtcTicks;
                session.IdleExpiresTicks = idleExpiresAt.UtcTicks;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_handles.TryGetValue(handle, out CompactSession? session) && Revoke(session, revokedAt, reason));
        }
    }

    /// <inheritdoc />
    public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_handles.TryGetValue(handle, out CompactSession? session) && session.Extra?.FlaggedAt is null)
            {
                CompactSessionExtra extra = session.GetOrAddExtra();
                extra.FlaggedAt = flaggedAt;
                extra.FlagReason = Strings.Intern(reason);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<SessionRecord> sessions = OfUser(userId)
                .Where(session => session.IsActiveAt(now))
                .OrderByDescending(session => session.CreatedTicks)
                .ThenBy(session => session.Handle, StringComparer.Ordinal)
                .Select(session => session.ToRecord())
                .ToList();
            return ValueTask.FromResult(sessions);
        }
    }

    /// <summary>The sessions active at <paramref name="now"/> (for the <c>tessera.sessions.active</c> gauge).</summary>
    public ValueTask<long> CountActiveSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byHandle.LongCount(session => session.IsActiveAt(now)));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        int count = 0;
        lock (_gate)
        {
            foreach (CompactSession session in OfUser(userId))
            {
                if (!string.Equals(session.Handle, exceptHandle, StringComparison.Ordinal) && Revoke(session, revokedAt, reason))
                {
                    count++;
                }
            }
        }

        return ValueTask.FromResult(count);
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_previousHashes.TryGetValue(previousHash.Span, out CompactSession? session) ? session.ToRecord() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_handles.TryGetValue(handle, out CompactSession? session) || session.IsRevoked
                || !session.SecretHash.SequenceEqual(expectedHash.Span) || _secretHashes.Contains(nextHash.Span))
            {
                return ValueTask.FromResult(false);
            }

            // Out of both hash indexes while their keys change, back in after.
            _bySecretHash.Remove(session);
            RemovePreviousHashEntry(session);

            // The hash that was current becomes the previous one; one that another session
            // already answers to as previous stays that session's (as the dictionary index did).
            _previousHashes.Remove(expectedHash.Span);
            CompactSessionExtra extra = session.GetOrAddExtra();
            extra.PreviousSecretHash = expectedHash.ToArray();
            extra.SecretRotatedAt = rotatedAt;
            extra.Generation++;
            extra.RotatedBy = rotatedBy?.ToArray();
            session.SetSecretHash(nextHash.Span);
            if (rotatedAt.UtcTicks > session.LastSeenTicks)
            {
                session.LastSeenTicks = rotatedAt.UtcTicks;
            }

            session.IdleExpiresTicks = idleExpiresAt.UtcTicks;
            _bySecretHash.Add(session);
            _byPreviousHash.Add(session);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyDictionary<string, string> attributes = _handles.TryGetValue(handle, out CompactSession? session) && session.Extra?.Attributes is { } stored
                ? new Dictionary<string, string>(stored, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            return ValueTask.FromResult(attributes);
        }
    }

    /// <inheritdoc />
    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_handles.TryGetValue(handle, out CompactSession? session))
            {
                return ValueTask.FromResult(AttributeWrite.SessionNotFound);
            }

            Dictionary<string, string>? attributes = session.Extra?.Attributes;
            int count = attributes?.Count ?? 0;
            if (!(attributes?.ContainsKey(key) ?? false) && count >= maxAttributes)
            {
                return ValueTask.FromResult(AttributeWrite.LimitReached);
            }

            attributes ??= session.GetOrAddExtra().Attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            attributes[key] = value;
            return ValueTask.FromResult(AttributeWrite.Written);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_handles.TryGetValue(handle, out CompactSession? session) && session.Extra?.Attributes is { } attributes && attributes.Remove(key));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long cut = cutoff.UtcTicks;
        lock (_gate)
        {
            List<CompactSession> dead = [.. _byHandle.Where(session => session.IdleExpiresTicks < cut || session.AbsoluteExpiresTicks < cut || session.Extra?.RevokedAt < cutoff)];
            foreach (CompactSession session in dead)
            {
                _byHandle.Remove(session);
                _bySecretHash.Remove(session);
                RemovePreviousHashEntry(session);

                Unlink(session);
            }

            return ValueTask.FromResult(dead.Count);
        }
    }

    /// <summary>Records, index entries and attributes held now (tests hold storage per session constant however often it rotates).</summary>
    internal int EntryCount
    {
        get
        {
            lock (_gate)
            {
                return _byHandle.Count + _byHandle.Sum(session => session.Extra?.Attributes?.Count ?? 0) + _bySecretHash.Count + _byPreviousHash.Count;
            }
        }
    }

    private IEnumerable<CompactSession> OfUser(string userId)
    {
        for (CompactSession? session = _firstOfUser.GetValueOrDefault(userId); session is not null; session = session.NextOfUser)
        {
            yield return session;
        }
    }

    // Only when the entry is this session's (another may have taken the hash: see TryRotateSecretAsync).
    private void RemovePreviousHashEntry(CompactSession session)
    {
        if (session.Extra?.PreviousSecretHash is { } previous && _previousHashes.TryGetValue(previous, out CompactSession? holder) && ReferenceEquals(holder, session))
        {
            _byPreviousHash.Remove(session);
        }
    }

    private bool Revoke(CompactSession session, DateTimeOffset revokedAt, string reason)
    {
        if (session.IsRevoked)
        {
            return false;
        }

        CompactSessionExtra extra = session.GetOrAddExtra();
        extra.RevokedAt = revokedAt;
        extra.RevocationReason = Strings.Intern(reason);
        return true;
    }

    // Takes the session out of its user's list; the user's entry goes with its last session.
    private void Unlink(CompactSession session)
    {
        if (!_firstOfUser.TryGetValue(session.UserId, out CompactSession? first))
        {
            return;
        }

        if (ReferenceEquals(first, session))
        {
            if (session.NextOfUser is { } next)
            {
                _firstOfUser[session.UserId] = next;
            }
            else
            {
                _firstOfUser.Remove(session.UserId);
            }
        }
        else
        {
            for (CompactSession previous = first; previous.NextOfUser is { } candidate; previous = candidate)
            {
                if (ReferenceEquals(candidate, session))
                {
                    previous.NextOfUser = session.NextOfUser;
                    break;
                }
            }
        }

        session.NextOfUser = null;
    }
}
