using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// What <see cref="RedisSessionStore"/> does on Redis Cluster (<see cref="RedisSessionStoreOptions.Cluster"/>,
/// key layout v2): every script touches one slot (<see cref="RedisClusterSessionScripts"/>), and an
/// operation whose keys live in several slots (a secret index, the session, the user's index) is a
/// short sequence of such steps. The argument that this stays correct without a cross-slot transaction:
/// <list type="number">
/// <item>The session record (<c>s:{handle}</c>) is the only authority. Every change to a session is
/// one atomic script on its slot: the compare-and-swap of a rotation, a touch, a revocation. A
/// refusal decided there (revoked, expired, stale expected hash) cannot be undone by an index.</item>
/// <item>An index is only a hint that names a handle, and every read re-checks the record it leads
/// to: a lookup by secret hash returns the record only if its current hash is that hash (by previous
/// hash: its previous hash), a user's list and "sign out everywhere" only sessions whose record names
/// that user. So an index that is stale between two steps, or left behind by a step that never
/// came (a crash, a failover), makes a lookup miss; it never returns the wrong session or a
/// replaced secret's session.</item>
/// <item>Indexes are written before the record they point to and removed after it changed, so a
/// record that exists is always reachable: a new session's secret index and user-index entry exist
/// before the record, so "sign out everywhere" cannot miss a session created before it began. A
/// rotation sets the previous-hash index before it deletes the old current-hash index, and between
/// the swap and that deletion a lookup by the old hash falls back on the current-hash index, so a
/// replayed refresh token is recognised as reuse at every moment.</item>
/// <item>Uniqueness is claimed where it lives: a secret hash by <c>SET NX</c> on its own index key before
/// the record takes it (released again when the record refused), a handle by the record script.</item>
/// </list>
/// Index keys live until the session's absolute expiry plus the retention (a touch would otherwise
/// have to reach another slot to extend them); a user index's members carry that time as their
/// score and are dropped once it has passed.
/// </summary>
internal sealed class RedisClusterSessions(IConnectionMultiplexer redis, RedisSessionStoreOptions options, TimeProvider time, RedisKeys keys)
{
    // Looked up per call: the store's disposal closes it, and the next sign-in makes a new one.
    private RedisClusterUserIndexWait Wait => RedisClusterUserIndexWait.For(redis);

    private IDatabase Database => redis.GetDatabase(options.Database);

    private long Retention => (long)options.Retention.TotalMilliseconds;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        string handle = session.Handle;
        ArgumentException.ThrowIfNullOrEmpty(handle);
        string current = keys.Current(RedisSessionCodec.Hash(session.SecretHash.Span));
        long now = Now;
        long gone = session.AbsoluteExpiresAt.ToUnixTimeMilliseconds() + Retention;
        TimeSpan life = Life(gone, now);

        // 1. The secret hash is claimed on its own slot first: two sessions never share one.
        if (!await RedisCalls.RunAsync(() => Database.StringSetAsync(current, handle, life, When.NotExists), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A session with this handle or secret already exists.");
        }

        string? previous = session.PreviousSecretHash is { } ph ? keys.Previous(RedisSessionCodec.Hash(ph.Span)) : null;
        bool created;
        var sent = new StrongBox<bool>();
        try
        {
            created = await IndexAndRecordAsync(session, previous, life, now, gone, sent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // (#13) A step that threw (Redis unreachable, the WAIT not answered, the caller gone) may
            // or may not have written: take back whatever this sign-in made, so a failed sign-in
            // leaves no claimed secret, no user-index entry and no record behind. Best effort (Redis
            // may be the reason it threw); what is left is only ever a hint a read re-checks.
            await DiscardAsync(session, current, previous, sent.Value, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (!created)
        {
            // The handle is another session's: its record and user-index entry stay, the claims go back.
            await ReleaseClaimsAsync(current, previous, handle, CancellationToken.None).ConfigureAwait(false);
            throw new InvalidOperationException("A session with this handle or secret already exists.");
        }
    }

    // Steps 2 and 3 of a sign-in; false when the handle is taken (nothing of this sign-in's record written).
    private async Task<bool> IndexAndRecordAsync(SessionRecord session, string? previous, TimeSpan life, long now, long gone, StrongBox<bool> sent, CancellationToken cancellationToken)
    {
        string handle = session.Handle;

        // 2. The user's index (and a previous-hash index, when the record comes with one), before the record.
        //    (#13) With ClusterUserIndexReplicas the user's entry must be on a replica before the
        //    record exists (Redis WAIT on the primary that took the write): otherwise a failover right
        //    after the sign-in could lose the entry while the record survives on its own shard, and
        //    "sign out everywhere" would miss that session. Not acknowledged in time: refused, as an
        //    unreachable Redis is, and no record is written.
        Task<bool> indexed = options.ClusterUserIndexReplicas > 0
            ? AddToUserReplicatedAsync(session.UserId, handle, now, gone, sent, cancellationToken)
            : AddToUserAsync(session.UserId, handle, now, gone, cancellationToken);
        await Task.WhenAll(
            indexed,
            previous is null ? Task.CompletedTask : RedisCalls.RunAsync(() => Database.StringSetAsync(previous, handle, life), cancellationToken).AsTask()).ConfigureAwait(false);
        if (!await indexed.ConfigureAwait(false))
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"The user's session index did not reach {options.ClusterUserIndexReplicas} replica(s) of its Redis Cluster primary in time; the sign-in was not recorded."));
        }

        // 3. The record, unless the handle is taken.
        RedisResult created = await EvaluateAsync(RedisClusterSessionScripts.Create, SessionKeys(handle, revoked: false),
            [.. RedisSessionCodec.Fields(session)], cancellationToken).ConfigureAwait(false);
        return (int)created == 1;
    }

    private async Task<bool> AddToUserAsync(string userId, string handle, long now, long gone, CancellationToken cancellationToken)
    {
        await RedisCalls.RunAsync(() => Database.ScriptEvaluateAsync(RedisClusterSessionScripts.AddToUser, [keys.User(userId)], [now, handle, gone]), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The user-index write and its WAIT, both on the dedicated connection of
    /// <see cref="RedisClusterUserIndexWait"/> to the one node that takes the write (so the WAIT
    /// covers it and holds back no other call). Whether
    /// <see cref="RedisSessionStoreOptions.ClusterUserIndexReplicas"/> replicas acknowledged in time.
    /// WAIT makes a loss unlikely, not impossible (a replica that acknowledged may still not be the
    /// one promoted when a primary has several).
    /// </summary>
    private async Task<bool> AddToUserReplicatedAsync(string userId, string handle, long now, long gone, StrongBox<bool> sent, CancellationToken cancellationToken)
    {
        long acknowledged = await RedisCalls.RunAsync(() => Wait.WriteAndWaitAsync(RedisClusterSessionScripts.AddToUser, keys.User(userId),
            [now, handle, gone], options.ClusterUserIndexReplicas, options.ClusterUserIndexReplicaTimeout, sent, cancellationToken), cancellationToken).ConfigureAwait(false);
        return acknowledged < 0
            ? throw new StoreUnavailableException("Other sign-ins of this instance were still waiting for a replica of the same Redis Cluster primary; the sign-in was not recorded.")
            : acknowledged >= options.ClusterUserIndexReplicas;
    }

    // Undoes a sign-in that failed part-way, in the reverse order of its steps (the record before the
    // indexes that lead to it): the record only if it carries this sign-in's secret hash, the user
    // entry only if no other session holds the handle, and over the WAIT connection only if its write
    // was sent there (otherwise the ZREM would only queue behind another sign-in's WAIT).
    private async Task DiscardAsync(SessionRecord session, string current, string? previous, bool sent, CancellationToken cancellationToken)
    {
        try
        {
            RedisResult discarded = await EvaluateAsync(RedisClusterSessionScripts.Discard, SessionKeys(session.Handle, revoked: false),
                [RedisSessionCodec.Hash(session.SecretHash.Span), session.UserId], cancellationToken).ConfigureAwait(false);
            await ReleaseClaimsAsync(current, previous, session.Handle, cancellationToken).ConfigureAwait(false);
            if ((int)discarded == 1 && (sent || options.ClusterUserIndexReplicas == 0))
            {
                // Over the connection that sent the entry's write (which may still be in flight), so it runs after it.
                await RedisCalls.RunAsync(() => options.ClusterUserIndexReplicas > 0
                    ? Wait.RemoveAsync(keys.User(session.UserId), session.Handle)
                    : Database.SortedSetRemoveAsync(keys.User(session.UserId), session.Handle), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is StoreUnavailableException or RedisException or OperationCanceledException)
        {
            // Left for the record's own expiry and the reads that re-check every index (see the class comment).
        }
    }

    public async ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken)
    {
        string index = keys.Current(RedisSessionCodec.Hash(secretHash.Span));
        RedisValue handle = await RedisCalls.RunAsync(() => Database.StringGetAsync(index), cancellationToken).ConfigureAwait(false);
        if (handle.IsNullOrEmpty)
        {
            return null;
        }

        // The record decides: between a rotation's swap and its index cleanup the old hash still names the handle.
        SessionRecord? session = await FindByHandleAsync(handle!, cancellationToken).ConfigureAwait(false);
        return session is not null && session.SecretHash.Span.SequenceEqual(secretHash.Span) ? session : null;
    }

    public async ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken)
    {
        string hash = RedisSessionCodec.Hash(previousHash.Span);
        // The previous-hash index, or (between a rotation's swap and its index move) the old current-hash index.
        RedisValue[] candidates = await Task.WhenAll(
            RedisCalls.RunAsync(() => Database.StringGetAsync(keys.Previous(hash)), cancellationToken).AsTask(),
            RedisCalls.RunAsync(() => Database.StringGetAsync(keys.Current(hash)), cancellationToken).AsTask()).ConfigureAwait(false);
        foreach (string handle in candidates.Where(c => !c.IsNullOrEmpty).Select(c => (string)c!).Distinct(StringComparer.Ordinal))
        {
            SessionRecord? session = await FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
            if (session?.PreviousSecretHash is { } previous && previous.Span.SequenceEqual(previousHash.Span))
            {
                return session;
            }
        }

        return null;
    }

    public async ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        HashEntry[] entries = await RedisCalls.RunAsync(() => Database.HashGetAllAsync(keys.Session(handle)), cancellationToken).ConfigureAwait(false);
        return entries.Length == 0 ? null : RedisSessionCodec.Read(handle, entries);
    }

    public async ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, string origin, CancellationToken cancellationToken) =>
        await EvaluateAsync(RedisClusterSessionScripts.Touch, SessionKeys(handle, revoked: false),
            [RedisSessionCodec.Time(lastSeenAt), RedisSessionCodec.Time(idleExpiresAt), origin], cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        await RevokeAsync(handle, revokedAt, reason, "", cancellationToken).ConfigureAwait(false);

    public async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        await EvaluateAsync(RedisSessionScripts.Flag, [keys.Session(handle)],
            [RedisSessionCodec.Time(flaggedAt), reason], cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string[] handles = await UserHandlesAsync(userId, cancellationToken).ConfigureAwait(false);
        SessionRecord?[] found = await Task.WhenAll(handles.Select(h => FindByHandleAsync(h, cancellationToken).AsTask())).ConfigureAwait(false);
        return
        [
            .. found.OfType<SessionRecord>()
                .Where(s => string.Equals(s.UserId, userId, StringComparison.Ordinal) && s.IsActiveAt(now))
                .OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Handle, StringComparer.Ordinal),
        ];
    }

    public async ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken)
    {
        string[] handles = await UserHandlesAsync(userId, cancellationToken).ConfigureAwait(false);
        bool[] revoked = await Task.WhenAll(handles
            .Where(h => !string.Equals(h, exceptHandle, StringComparison.Ordinal))
            .Select(h => RevokeAsync(h, revokedAt, reason, userId, cancellationToken).AsTask())).ConfigureAwait(false);
        return revoked.Count(r => r);
    }

    public async ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken)
    {
        string expected = RedisSessionCodec.Hash(expectedHash.Span);
        string next = RedisSessionCodec.Hash(nextHash.Span);
        long now = Now;

        // 1. Claim the next hash on its slot: taken → refused, nothing changed. Alive for now until
        //    the new idle expiry plus the retention; step 3 gives it the session's whole lifetime.
        TimeSpan provisional = Life(idleExpiresAt.ToUnixTimeMilliseconds() + Retention, now);
        if (!await RedisCalls.RunAsync(() => Database.StringSetAsync(keys.Current(next), handle, provisional, When.NotExists), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // 2. The compare-and-swap on the record: exactly one concurrent rotation wins.
        RedisResult swapped = await EvaluateAsync(RedisClusterSessionScripts.Rotate, SessionKeys(handle, revoked: false),
            [expected, next, RedisSessionCodec.Time(rotatedAt), RedisSessionCodec.Time(idleExpiresAt), rotatedBy is { } by ? RedisSessionCodec.Hash(by.Span) : ""],
            cancellationToken).ConfigureAwait(false);
        if (swapped.Resp2Type != ResultType.Array)
        {
            await ReleaseAsync(keys.Current(next), handle, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var pair = (RedisResult[])swapped!;
        TimeSpan life = Life((long)pair[0] + Retention, now);
        string replaced = (string)pair[1]!;

        // 3. The previous-hash index, the next hash's full lifetime, the index of the hash retired one rotation ago.
        await Task.WhenAll(
            RedisCalls.RunAsync(() => Database.StringSetAsync(keys.Previous(expected), handle, life), cancellationToken).AsTask(),
            RedisCalls.RunAsync(() => Database.ScriptEvaluateAsync(RedisClusterSessionScripts.ExtendIndex, [keys.Current(next)], [handle, (long)life.TotalMilliseconds]), cancellationToken).AsTask(),
            replaced.Length == 0 || replaced == expected ? Task.CompletedTask : ReleaseAsync(keys.Previous(replaced), handle, cancellationToken).AsTask()).ConfigureAwait(false);

        // 4. Only then the old current-hash index: a replayed old secret is told reuse at every moment.
        await ReleaseAsync(keys.Current(expected), handle, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        (string?)await EvaluateAsync(RedisClusterSessionScripts.SetAttribute, SessionKeys(handle, revoked: false),
            [key, value, maxAttributes], cancellationToken).ConfigureAwait(false) switch
        {
            "written" => AttributeWrite.Written,
            "full" => AttributeWrite.LimitReached,
            _ => AttributeWrite.SessionNotFound,
        };

    /// <summary>SCAN on every primary (a cluster node lists only its own keys), one session script per ended session, then its indexes.</summary>
    public async ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        int purged = 0;
        string pattern = keys.SessionPattern();
        foreach (EndPoint endpoint in redis.GetEndPoints())
        {
            IServer server = redis.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            await foreach (RedisKey key in server.KeysAsync(options.Database, pattern, pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                string handle = keys.HandleOf(key!);
                RedisResult result = await EvaluateAsync(RedisClusterSessionScripts.Purge, SessionKeys(handle, revoked: false),
                    [RedisSessionCodec.Time(cutoff)], cancellationToken).ConfigureAwait(false);
                if (result.IsNull)
                {
                    continue;
                }

                var deleted = (RedisResult[])result!;
                string user = (string)deleted[0]!, current = (string)deleted[1]!, previous = (string)deleted[2]!;
                await Task.WhenAll(
                    ReleaseAsync(keys.Current(current), handle, cancellationToken).AsTask(),
                    previous.Length == 0 ? Task.CompletedTask : ReleaseAsync(keys.Previous(previous), handle, cancellationToken).AsTask(),
                    RedisCalls.RunAsync(() => Database.SortedSetRemoveAsync(keys.User(user), handle), cancellationToken).AsTask()).ConfigureAwait(false);
                purged++;
            }
        }

        return purged;
    }

    private async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, string userId, CancellationToken cancellationToken) =>
        (int)await EvaluateAsync(RedisClusterSessionScripts.Revoke, SessionKeys(handle, revoked: true),
            [RedisSessionCodec.Time(revokedAt), reason, userId], cancellationToken).ConfigureAwait(false) == 1;

    private async ValueTask<string[]> UserHandlesAsync(string userId, CancellationToken cancellationToken)
    {
        var handles = (RedisResult[])(await RedisCalls.RunAsync(
            () => Database.ScriptEvaluateAsync(RedisClusterSessionScripts.ReadUser, [keys.User(userId)], [Now]), cancellationToken).ConfigureAwait(false))!;
        return [.. handles.Select(h => (string)h!)];
    }

    private async ValueTask ReleaseClaimsAsync(string current, string? previous, string handle, CancellationToken cancellationToken)
    {
        await ReleaseAsync(current, handle, cancellationToken).ConfigureAwait(false);
        if (previous is not null)
        {
            await ReleaseAsync(previous, handle, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ReleaseAsync(string index, string handle, CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => Database.ScriptEvaluateAsync(RedisClusterSessionScripts.ReleaseIndex, [index], [handle]), cancellationToken).ConfigureAwait(false);

    // The keys of one session, all tagged {handle}: one slot.
    private RedisKey[] SessionKeys(string handle, bool revoked) =>
        revoked ? [keys.Session(handle), keys.Attributes(handle), keys.Revoked(handle)] : [keys.Session(handle), keys.Attributes(handle)];

    private static TimeSpan Life(long goneAtMs, long nowMs) => TimeSpan.FromMilliseconds(Math.Max(goneAtMs - nowMs, 1000));

    private ValueTask<RedisResult> EvaluateAsync(string script, RedisKey[] sessionKeys, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        RedisValue[] values =
        [
            keys.Prefix,
            RedisSessionCodec.Time(time.GetUtcNow()),
            Retention.ToString(CultureInfo.InvariantCulture),
            ((long)options.RevocationListLifetime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            .. arguments,
        ];
        return RedisCalls.RunAsync(() => Database.ScriptEvaluateAsync(script, sessionKeys, values), cancellationToken);
    }
}
