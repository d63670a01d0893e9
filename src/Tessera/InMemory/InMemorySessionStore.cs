using Tessera.Sessions;

namespace Tessera.InMemory;

/// <summary>
/// Sessions in process memory, with every optional capability. One lock serializes all access, so
/// each method is atomic (the compare-and-swap rotation included).
/// </summary>
public sealed class InMemorySessionStore : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup, Telemetry.IActiveSessionCount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byHandle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _handleBySecretHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _handleByPreviousHash = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        string hashKey = Convert.ToHexString(session.SecretHash.Span);
        lock (_gate)
        {
            if (_byHandle.ContainsKey(session.Handle) || _handleBySecretHash.ContainsKey(hashKey))
            {
                throw new InvalidOperationException("A session with this handle or secret already exists.");
            }

            _byHandle[session.Handle] = new Entry(Copy(session));
            _handleBySecretHash[hashKey] = session.Handle;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string hashKey = Convert.ToHexString(secretHash.Span);
        lock (_gate)
        {
            return ValueTask.FromResult(_handleBySecretHash.TryGetValue(hashKey, out string? handle) ? _byHandle[handle].Session : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byHandle.TryGetValue(handle, out Entry? entry) ? entry.Session : null);
        }
    }

    /// <inheritdoc />
    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byHandle.TryGetValue(handle, out Entry? entry) && !entry.Session.IsRevoked && lastSeenAt > entry.Session.LastSeenAt)
            {
                entry.Session = entry.Session with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byHandle.TryGetValue(handle, out Entry? entry) || entry.Session.IsRevoked)
            {
                return ValueTask.FromResult(false);
            }

            entry.Session = entry.Session with { RevokedAt = revokedAt, RevocationReason = reason };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byHandle.TryGetValue(handle, out Entry? entry) && entry.Session.FlaggedAt is null)
            {
                entry.Session = entry.Session with { FlaggedAt = flaggedAt, FlagReason = reason };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<SessionRecord> sessions = _byHandle.Values
                .Select(entry => entry.Session)
                .Where(session => string.Equals(session.UserId, userId, StringComparison.Ordinal) && session.IsActiveAt(now))
                .OrderByDescending(session => session.CreatedAt)
                .ThenBy(session => session.Handle, StringComparer.Ordinal)
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
            return ValueTask.FromResult(_byHandle.Values.LongCount(entry => entry.Session.IsActiveAt(now)));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int count = 0;
        lock (_gate)
        {
            foreach (Entry entry in _byHandle.Values)
            {
                SessionRecord session = entry.Session;
                if (string.Equals(session.UserId, userId, StringComparison.Ordinal) && !session.IsRevoked
                    && !string.Equals(session.Handle, exceptHandle, StringComparison.Ordinal))
                {
                    entry.Session = session with { RevokedAt = revokedAt, RevocationReason = reason };
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
        string hashKey = Convert.ToHexString(previousHash.Span);
        lock (_gate)
        {
            return ValueTask.FromResult(_handleByPreviousHash.TryGetValue(hashKey, out string? handle) ? _byHandle[handle].Session : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string nextKey = Convert.ToHexString(nextHash.Span);
        lock (_gate)
        {
            if (!_byHandle.TryGetValue(handle, out Entry? entry) || entry.Session.IsRevoked
                || !entry.Session.SecretHash.Span.SequenceEqual(expectedHash.Span) || _handleBySecretHash.ContainsKey(nextKey))
            {
                return ValueTask.FromResult(false);
            }

            string expectedKey = Convert.ToHexString(entry.Session.SecretHash.Span);
            if (entry.Session.PreviousSecretHash is { } older)
            {
                _handleByPreviousHash.Remove(Convert.ToHexString(older.Span));
            }

            _handleBySecretHash.Remove(expectedKey);
            _handleBySecretHash[nextKey] = handle;
            _handleByPreviousHash[expectedKey] = handle;
            SessionRecord session = entry.Session;
            entry.Session = session with
            {
                SecretHash = nextHash.ToArray(),
                PreviousSecretHash = expectedHash.ToArray(),
                SecretRotatedAt = rotatedAt,
                Generation = session.Generation + 1,
                RotatedBy = rotatedBy is { } by ? by.ToArray() : (ReadOnlyMemory<byte>?)null,
                LastSeenAt = rotatedAt > session.LastSeenAt ? rotatedAt : session.LastSeenAt,
                IdleExpiresAt = idleExpiresAt,
            };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyDictionary<string, string> attributes = _byHandle.TryGetValue(handle, out Entry? entry)
                ? new Dictionary<string, string>(entry.Attributes, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            return ValueTask.FromResult(attributes);
        }
    }

    /// <inheritdoc />
    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byHandle.TryGetValue(handle, out Entry? entry))
            {
                return ValueTask.FromResult(AttributeWrite.SessionNotFound);
            }

            if (!entry.Attributes.ContainsKey(key) && entry.Attributes.Count >= maxAttributes)
            {
                return ValueTask.FromResult(AttributeWrite.LimitReached);
            }

            entry.Attributes[key] = value;
            return ValueTask.FromResult(AttributeWrite.Written);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byHandle.TryGetValue(handle, out Entry? entry) && entry.Attributes.Remove(key));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            List<SessionRecord> dead = _byHandle.Values
                .Select(entry => entry.Session)
                .Where(session => session.IdleExpiresAt < cutoff || session.AbsoluteExpiresAt < cutoff || session.RevokedAt < cutoff)
                .ToList();
            foreach (SessionRecord session in dead)
            {
                _byHandle.Remove(session.Handle);
                _handleBySecretHash.Remove(Convert.ToHexString(session.SecretHash.Span));
                if (session.PreviousSecretHash is { } previous)
                {
                    _handleByPreviousHash.Remove(Convert.ToHexString(previous.Span));
                }
            }

            return ValueTask.FromResult(dead.Count);
        }
    }

    // Callers may hold on to the record they passed in; keep our own copy of the hash bytes.
    private static SessionRecord Copy(SessionRecord session) => session with
    {
        SecretHash = session.SecretHash.ToArray(),
        PreviousSecretHash = session.PreviousSecretHash is { } previous ? previous.ToArray() : (ReadOnlyMemory<byte>?)null,
        RotatedBy = session.RotatedBy is { } rotatedBy ? rotatedBy.ToArray() : (ReadOnlyMemory<byte>?)null,
    };

    /// <summary>Records, index entries and attributes held now (tests hold storage per session constant however often it rotates).</summary>
    internal int EntryCount
    {
        get
        {
            lock (_gate)
            {
                return _byHandle.Count + _byHandle.Values.Sum(entry => entry.Attributes.Count) + _handleBySecretHash.Count + _handleByPreviousHash.Count;
            }
        }
    }

    private sealed class Entry(SessionRecord session)
    {
        public SessionRecord Session { get; set; } = session;

        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
    }
}
