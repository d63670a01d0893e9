using System.Collections.Concurrent;

namespace Tessera.Sessions.Changes;

/// <summary>
/// The memory behind <see cref="NearCachedSessionStore"/>: session records by handle, and an index
/// from the current secret hash to the handle (the record found through it is compared with the
/// presented hash again). Bounded in entries, each for at most the entry lifetime.
/// A read from the store that raced with an invalidation must not put the old record back: every
/// invalidation takes a sequence number and marks the handle's stripe with it, and a read inserts
/// its result only if no invalidation of that handle (nor a reset) happened since the read began
/// (<see cref="Begin"/>). Inserts and invalidations hold one lock; lookups take none.
/// </summary>
internal sealed class SessionNearCache
{
    private const int StripeCount = 1024;

    private readonly ConcurrentDictionary<string, Entry> _byHandle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byHash = new(StringComparer.Ordinal);
    private readonly long[] _stripes = new long[StripeCount];
    private readonly Lock _gate = new();
    private readonly SessionNearCacheOptions _options;
    private readonly TimeProvider _time;
    private long _sequence;
    private long _resetAt;
    private int _count;

    public SessionNearCache(SessionNearCacheOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>How many records are held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Call before reading the store; pass the answer to <see cref="Put"/>.</summary>
    public long Begin() => Volatile.Read(ref _sequence);

    /// <summary>The held record with this handle, or null.</summary>
    public SessionRecord? ByHandle(string handle) =>
        _byHandle.TryGetValue(handle, out Entry? entry) && entry.ExpiresAt > _time.GetUtcNow().UtcTicks ? entry.Record : null;

    /// <summary>The held record whose current secret hash is <paramref name="hash"/>, or null.</summary>
    public SessionRecord? ByHash(ReadOnlySpan<byte> hash)
    {
        if (!_byHash.TryGetValue(Convert.ToBase64String(hash), out string? handle))
        {
            return null;
        }

        SessionRecord? record = ByHandle(handle);
        // Compared again: the index may lag a rotation by a moment; only the record's own hash counts.
        return record is not null && record.SecretHash.Span.SequenceEqual(hash) ? record : null;
    }

    /// <summary>Holds <paramref name="record"/> unless it was invalidated (or the cache reset) after <paramref name="begun"/>.</summary>
    public void Put(SessionRecord record, long begun)
    {
        long expiresAt = _time.GetUtcNow().UtcTicks + _options.EntryLifetime.Ticks;
        lock (_gate)
        {
            if (_resetAt > begun || _stripes[Stripe(record.Handle)] > begun)
            {
                return;
            }

            if (_byHandle.TryGetValue(record.Handle, out Entry? old))
            {
                RemoveLocked(record.Handle, old);
            }
            else if (_count >= _options.MaxEntries && !MakeRoomLocked())
            {
                return;
            }

            _byHandle[record.Handle] = new Entry(record, expiresAt);
            _byHash[Convert.ToBase64String(record.SecretHash.Span)] = record.Handle;
            _count++;
        }
    }

    /// <summary>Replaces the held record of <paramref name="handle"/> (when there is one) with what <paramref name="update"/> makes of it.</summary>
    public void Update(string handle, Func<SessionRecord, SessionRecord> update)
    {
        lock (_gate)
        {
            Bump(handle);
            if (_byHandle.TryGetValue(handle, out Entry? entry))
            {
                SessionRecord updated = update(entry.Record);
                if (!updated.SecretHash.Span.SequenceEqual(entry.Record.SecretHash.Span))
                {
                    RemoveLocked(handle, entry);
                    return;
                }

                _byHandle[handle] = entry with { Record = updated };
            }
        }
    }

    /// <summary>Drops the record of <paramref name="handle"/>; a read already under way will not put it back.</summary>
    public void Invalidate(string handle)
    {
        lock (_gate)
        {
            Bump(handle);
            if (_byHandle.TryGetValue(handle, out Entry? entry))
            {
                RemoveLocked(handle, entry);
            }
        }
    }

    /// <summary>Drops every record of <paramref name="userId"/> (their handles are not known to the caller).</summary>
    public void InvalidateUser(string userId)
    {
        lock (_gate)
        {
            // Reads under way may hold any of the user's sessions: treat it as a reset for inserts.
            _resetAt = ++_sequence;
            foreach (KeyValuePair<string, Entry> entry in _byHandle)
            {
                if (string.Equals(entry.Value.Record.UserId, userId, StringComparison.Ordinal))
                {
                    RemoveLocked(entry.Key, entry.Value);
                }
            }
        }
    }

    /// <summary>Drops everything; reads under way will not put anything back.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _resetAt = ++_sequence;
            _byHandle.Clear();
            _byHash.Clear();
            _count = 0;
        }
    }

    private void Bump(string handle) => _stripes[Stripe(handle)] = ++_sequence;

    private void RemoveLocked(string handle, Entry entry)
    {
        if (_byHandle.TryRemove(new KeyValuePair<string, Entry>(handle, entry)))
        {
            _byHash.TryRemove(new KeyValuePair<string, string>(Convert.ToBase64String(entry.Record.SecretHash.Span), handle));
            _count--;
        }
    }

    /// <summary>Full: sweeps expired entries, then drops an eighth of the rest (arbitrary ones: entries are short-lived anyway).</summary>
    private bool MakeRoomLocked()
    {
        long now = _time.GetUtcNow().UtcTicks;
        foreach (KeyValuePair<string, Entry> entry in _byHandle)
        {
            if (entry.Value.ExpiresAt <= now)
            {
                RemoveLocked(entry.Key, entry.Value);
            }
        }

        int toDrop = _count >= _options.MaxEntries ? Math.Max(1, _options.MaxEntries / 8) : 0;
        foreach (KeyValuePair<string, Entry> entry in _byHandle)
        {
            if (toDrop-- <= 0)
            {
                break;
            }

            RemoveLocked(entry.Key, entry.Value);
        }

        return _count < _options.MaxEntries;
    }

    private static int Stripe(string handle) => (int)((uint)StringComparer.Ordinal.GetHashCode(handle) % StripeCount);

    private sealed record Entry(SessionRecord Record, long ExpiresAt);
}
