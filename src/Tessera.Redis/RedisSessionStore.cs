using System.Globalization;
using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis;

/// <summary>
/// Sessions in Redis, with every optional capability, for several server instances that share
/// them. Each session is a hash whose keys expire when the session ends plus the retention (Redis
/// deletes them itself); its current and previous secret hashes are index keys (a constant number
/// of keys per session, however often it rotates); a per-user sorted set lists a user's
/// sessions and is pruned of sessions Redis has expired. A rotation that says its retired secret
/// is found by handle (<see cref="PreviousSecretLookup.ByHandle"/>, every version-2 refresh token)
/// keeps no previous index at all (#13). Every write is one Lua script
/// (<see cref="RedisSessionScripts"/>), so the refresh rotation is a single compare-and-swap with
/// exactly one winner across all instances. Revoking a session also puts its id on the
/// revocation list that <see cref="RedisSessionRevocationList"/> reads. On Redis Cluster
/// (<see cref="RedisSessionStoreOptions.Cluster"/>) the keys are hash-tagged per session and per
/// user and each operation is a sequence of one-slot steps (<see cref="RedisClusterSessions"/>).
/// </summary>
public sealed class RedisSessionStore
    : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup, IAsyncDisposable, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKeys _keys;
    private readonly RedisClusterSessions? _cluster;

    /// <summary>A store over <paramref name="redis"/> with <paramref name="options"/> (checked here: invalid options throw <see cref="ArgumentException"/>); <paramref name="time"/> decides expiries.</summary>
    public RedisSessionStore(IConnectionMultiplexer redis, RedisSessionStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid Redis session store options: {problem}.", nameof(options));
        }

        if (!options.Cluster && !RedisClusterDetection.PrefixHasHashTag(options.KeyPrefix) && RedisClusterDetection.ReachesACluster(redis))
        {
            // Layout v1's scripts reach a session's secret index and its user's index from the
            // session's slot; on a cluster that works only while they happen to live on the same
            // primary, so sign-ins would fail at random. Refused here, with the way out.
            throw new ArgumentException(
                "The Redis connection reaches a Redis Cluster, which cannot hold the single-instance key layout with a prefix without a hash tag: " +
                "set Cluster (Tessera:Redis:Cluster = true), or give the prefix a hash tag such as {tessera}: to keep every key on one primary.",
                nameof(options));
        }

        _redis = redis;
        _options = options;
        _time = time;
        _keys = new RedisKeys(options.KeyPrefix, options.Cluster);
        _cluster = options.Cluster ? new RedisClusterSessions(redis, options, time, _keys) : null;
    }

    private IDatabase Database => _redis.GetDatabase(_options.Database);

    /// <summary>
    /// Closes the cluster sign-in's WAIT connection (<see cref="RedisClusterUserIndexWait"/>), if one
    /// was made; the shared connection is the caller's (or the container's) to close. A later
    /// sign-in through another store on the same connection opens a new one.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await RedisClusterUserIndexWait.CloseAsync(_redis).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_cluster is not null)
        {
            await _cluster.CreateAsync(session, cancellationToken).ConfigureAwait(false);
            return;
        }

        RedisResult created = await EvaluateAsync(RedisSessionScripts.Create, _keys.Session(session.Handle),
            [session.Handle, .. RedisSessionCodec.Fields(session)], cancellationToken).ConfigureAwait(false);
        if ((int)created != 1)
        {
            throw new InvalidOperationException("A session with this handle or secret already exists.");
        }
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        _cluster is not null ? _cluster.FindBySecretHashAsync(secretHash, cancellationToken) : FindByIndexAsync(_keys.Current(RedisSessionCodec.Hash(secretHash.Span)), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        HashEntry[] entries = await RedisCalls.RunAsync(() => Database.HashGetAllAsync(_keys.Session(handle)), cancellationToken).ConfigureAwait(false);
        return entries.Length == 0 ? null : RedisSessionCodec.Read(handle, entries);
    }

    /// <summary>
    /// The <see cref="RedisSessionChangeFeed.Origin"/> of the feed whose near cache every touch of this
    /// store goes through (set when it is wired so, <see cref="RedisChangesRegistration"/>), or null. Its
    /// touches are announced with it, and that feed does not hand their echo back to the near cache
    /// that already applied them (#13).
    /// </summary>
    internal string? TouchOrigin { get; set; }

    /// <inheritdoc />
    public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        _cluster is not null ? _cluster.TouchAsync(handle, lastSeenAt, idleExpiresAt, TouchOrigin ?? "", cancellationToken) : TouchV1Async(handle, lastSeenAt, idleExpiresAt, cancellationToken);

    private async ValueTask TouchV1Async(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        await EvaluateAsync(RedisSessionScripts.Touch, _keys.Session(handle),
            [handle, RedisSessionCodec.Time(lastSeenAt), RedisSessionCodec.Time(idleExpiresAt), TouchOrigin ?? ""], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _cluster is not null ? await _cluster.RevokeAsync(handle, revokedAt, reason, cancellationToken).ConfigureAwait(false) : (int)await EvaluateAsync(RedisSessionScripts.Revoke, _keys.Session(handle),
            [handle, RedisSessionCodec.Time(revokedAt), reason], cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        // One key: the same script on both layouts.
        await EvaluateAsync(RedisSessionScripts.Flag, _keys.Session(handle),
            [RedisSessionCodec.Time(flaggedAt), reason], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            return await _cluster.ListActiveForUserAsync(userId, now, cancellationToken).ConfigureAwait(false);
        }

        var listed = (RedisResult[])(await EvaluateAsync(RedisSessionScripts.List, _keys.User(userId), [], cancellationToken).ConfigureAwait(false))!;
        var sessions = new List<SessionRecord>(listed.Length / 2);
        for (int i = 0; i + 1 < listed.Length; i += 2)
        {
            SessionRecord session = RedisSessionCodec.Read((string)listed[i]!, (RedisResult[])listed[i + 1]!);
            if (session.IsActiveAt(now))
            {
                sessions.Add(session);
            }
        }

        return [.. sessions.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Handle, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _cluster is not null ? await _cluster.RevokeAllForUserAsync(userId, exceptHandle, revokedAt, reason, cancellationToken).ConfigureAwait(false) : (int)await EvaluateAsync(RedisSessionScripts.RevokeAll, _keys.User(userId),
            [exceptHandle ?? "", RedisSessionCodec.Time(revokedAt), reason], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            return await _cluster.FindByPreviousSecretHashAsync(previousHash, cancellationToken).ConfigureAwait(false);
        }

        SessionRecord? session = await FindByIndexAsync(_keys.Previous(RedisSessionCodec.Hash(previousHash.Span)), cancellationToken).ConfigureAwait(false);
        // The index and the record are written by the same script; check anyway that they agree.
        return session?.PreviousSecretHash is { } previous && previous.Span.SequenceEqual(previousHash.Span) ? session : null;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken) =>
        TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, PreviousSecretLookup.ByHash, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="PreviousSecretLookup.ByHandle"/> the single-instance layout writes no <c>prev:</c>
    /// key (#13); the cluster layout (<see cref="RedisClusterSessions"/>) indexes the retired hash either way.
    /// </remarks>
    public async ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, PreviousSecretLookup previousLookup, CancellationToken cancellationToken) =>
        _cluster is not null ? await _cluster.TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, cancellationToken).ConfigureAwait(false) : (int)await EvaluateAsync(RedisSessionScripts.Rotate, _keys.Session(handle),
            [handle, RedisSessionCodec.Hash(expectedHash.Span), RedisSessionCodec.Hash(nextHash.Span), RedisSessionCodec.Time(rotatedAt), RedisSessionCodec.Time(idleExpiresAt),
                rotatedBy is { } by ? RedisSessionCodec.Hash(by.Span) : "", previousLookup == PreviousSecretLookup.ByHash ? "1" : "0"], cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken)
    {
        HashEntry[] entries = await RedisCalls.RunAsync(() => Database.HashGetAllAsync(_keys.Attributes(handle)), cancellationToken).ConfigureAwait(false);
        return entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        _cluster is not null ? await _cluster.SetAttributeAsync(handle, key, value, maxAttributes, cancellationToken).ConfigureAwait(false) : (string?)await EvaluateAsync(RedisSessionScripts.SetAttribute, _keys.Session(handle),
            [handle, key, value, maxAttributes], cancellationToken).ConfigureAwait(false) switch
        {
            "written" => AttributeWrite.Written,
            "full" => AttributeWrite.LimitReached,
            _ => AttributeWrite.SessionNotFound,
        };

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken)
    {
        bool removed = await RedisCalls.RunAsync(() => Database.HashDeleteAsync(_keys.Attributes(handle), key), cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            // Announced like the scripts' changes (#13), though not in one step with it: attributes are never held by a near cache.
            await RedisCalls.RunAsync(() => _redis.GetSubscriber().PublishAsync(RedisSessionChangeFeed.ChannelOf(_keys),
                RedisSessionChangeFeed.Format(new(Sessions.Changes.SessionChangeKind.Changed, handle))), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Redis already deletes a session when its retention ends; this walks every session (SCAN, a
    /// step at a time, so Redis stays responsive) for the ones that ended before an earlier cutoff.
    /// </summary>
    public async ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            return await _cluster.PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }

        string cursor = "0";
        string pattern = _keys.SessionPattern();
        int purged = 0;
        do
        {
            var step = (RedisResult[])(await EvaluateAsync(RedisSessionScripts.PurgeStep, null,
                [cursor, RedisSessionCodec.Time(cutoff), pattern], cancellationToken).ConfigureAwait(false))!;
            cursor = (string)step[0]!;
            purged += (int)step[1];
        }
        while (cursor != "0");

        return purged;
    }

    private async ValueTask<SessionRecord?> FindByIndexAsync(string indexKey, CancellationToken cancellationToken)
    {
        RedisResult found = await EvaluateAsync(RedisSessionScripts.FindByIndex, indexKey, [], cancellationToken).ConfigureAwait(false);
        if (found.IsNull)
        {
            return null;
        }

        var pair = (RedisResult[])found!;
        return RedisSessionCodec.Read((string)pair[0]!, (RedisResult[])pair[1]!);
    }

    private ValueTask<RedisResult> EvaluateAsync(string script, string? key, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        RedisValue[] values =
        [
            _keys.Prefix,
            RedisSessionCodec.Time(_time.GetUtcNow()),
            ((long)_options.Retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ((long)_options.RevocationListLifetime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            .. arguments,
        ];
        RedisKey[] keys = key is null ? [] : [key];
        return RedisCalls.RunAsync(() => Database.ScriptEvaluateAsync(script, keys, values), cancellationToken);
    }
}
