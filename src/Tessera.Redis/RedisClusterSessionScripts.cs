namespace Tessera.Redis;

/// <summary>
/// The scripts of the Redis Cluster layout (<see cref="RedisKeys.ClusterLayoutVersion"/>): each
/// declares every key it touches in KEYS, and those keys share one hash slot, so Redis Cluster
/// runs it on the one primary that owns the slot (a script whose keys span slots is refused with
/// CROSSSLOT). A session script gets the session's keys (<c>s:{handle}</c>, <c>attr:{handle}</c>,
/// <c>revoked:{handle}</c>); an index script gets one secret index or one user's index. What the
/// v1 scripts (<see cref="RedisSessionScripts"/>) do in one step across those keys,
/// <see cref="RedisClusterSessions"/> does in ordered steps, each atomic in its own slot; why that
/// stays correct is written there. Session scripts take the same first arguments as v1's (ARGV[1]
/// prefix, ARGV[2] now, ARGV[3] retention, ARGV[4] revocation-list lifetime); their own start at ARGV[5].
/// </summary>
internal static class RedisClusterSessionScripts
{
    private const string Common = """
        local NOW, RETENTION, LIST_TTL = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local function int(x) return string.format('%d', x) end

        -- How long a session's keys live: until it ends (revoked, idle or absolute expiry) plus the
        -- retention, so a replayed secret is told "revoked" or "expired" until then.
        local function ttl_of(ie, ae, ra)
          local ends = math.min(tonumber(ie), tonumber(ae))
          if ra then ends = math.min(ends, tonumber(ra)) end
          return math.max(ends + RETENTION - NOW, 1000)
        end

        -- #13: every change is announced on the feed channel (RedisSessionChangeFeed) in the same
        -- atomic step; the handle is the session key's hash tag. Names only, never a secret hash.
        local function announce(kind, user, listed)
          redis.call('PUBLISH', ARGV[1] .. 'changes', kind .. '|' .. string.sub(KEYS[1], #ARGV[1] + 4, -2) .. '|' .. (user or '') .. (listed and ('|' .. listed) or ''))
        end

        local function expire(ttl)
          ttl = int(ttl)
          redis.call('PEXPIRE', KEYS[1], ttl)
          redis.call('PEXPIRE', KEYS[2], ttl)
        end

        """;

    /// <summary>KEYS session, attributes; ARGV[5..] field/value pairs. 1 created, 0 the handle is taken.</summary>
    public const string Create = Common + """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        local fields = {}
        for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
        redis.call('HSET', KEYS[1], unpack(fields))
        local r = redis.call('HMGET', KEYS[1], 'ie', 'ae', 'ra')
        expire(ttl_of(r[1], r[2], r[3]))
        return 1
        """;

    /// <summary>KEYS session, attributes; ARGV[5] last seen, ARGV[6] idle expiry, ARGV[7] origin ('' for none, as <see cref="RedisSessionScripts.Touch"/>). Only moves forward; never a revoked session.</summary>
    public const string Touch = Common + """
        local r = redis.call('HMGET', KEYS[1], 'u', 'ls', 'ae', 'ra')
        if not r[1] or r[4] or tonumber(r[2]) >= tonumber(ARGV[5]) then return 0 end
        redis.call('HSET', KEYS[1], 'ls', ARGV[5], 'ie', ARGV[6])
        expire(ttl_of(ARGV[6], r[3], nil))
        announce('c', r[1], ARGV[7] ~= '' and ('o:' .. ARGV[7]) or nil)
        return 1
        """;

    /// <summary>
    /// KEYS session, attributes, revocation-list entry; ARGV[5] revoked at, ARGV[6] reason, ARGV[7]
    /// the user it must belong to ('' for any: a user index is only a hint, the record decides).
    /// 1 revoked, 0 missing, already revoked or another user's.
    /// </summary>
    public const string Revoke = Common + """
        local r = redis.call('HMGET', KEYS[1], 'u', 'ie', 'ae', 'ra')
        if not r[1] or r[4] then return 0 end
        if ARGV[7] ~= '' and r[1] ~= ARGV[7] then return 0 end
        redis.call('HSET', KEYS[1], 'ra', ARGV[5], 'rr', ARGV[6])
        expire(ttl_of(r[2], r[3], ARGV[5]))
        if LIST_TTL > 0 then redis.call('SET', KEYS[3], ARGV[5], 'PX', int(LIST_TTL)) end
        announce('r', r[1], LIST_TTL > 0 and int(LIST_TTL) or nil)
        return 1
        """;

    /// <summary>
    /// KEYS session, attributes; ARGV[5] expected hash, ARGV[6] next hash, ARGV[7] rotated at,
    /// ARGV[8] idle expiry, ARGV[9] the rotating client's fingerprint ('' for none). The
    /// compare-and-swap on the record alone (the indexes are moved around it): {absolute expiry,
    /// the previous hash it replaced or ''} when swapped, 0 when the session is gone or revoked or
    /// its hash is no longer the expected one.
    /// </summary>
    public const string Rotate = Common + """
        local r = redis.call('HMGET', KEYS[1], 'u', 'h', 'ph', 'ls', 'ae', 'ra')
        if not r[1] or r[6] or r[2] ~= ARGV[5] then return 0 end
        local seen = r[4]
        if not seen or tonumber(seen) < tonumber(ARGV[7]) then seen = ARGV[7] end
        redis.call('HSET', KEYS[1], 'h', ARGV[6], 'ph', ARGV[5], 'rt', ARGV[7], 'ls', seen, 'ie', ARGV[8])
        redis.call('HINCRBY', KEYS[1], 'g', 1)
        if ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'rb', ARGV[9]) else redis.call('HDEL', KEYS[1], 'rb') end
        expire(ttl_of(ARGV[8], r[5], nil))
        announce('c', r[1])
        return { r[5], r[3] or '' }
        """;

    /// <summary>KEYS session, attributes; ARGV[5] key, ARGV[6] value, ARGV[7] limit. 'written', 'missing' or 'full'.</summary>
    public const string SetAttribute = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
        if redis.call('HEXISTS', KEYS[2], ARGV[5]) == 0 and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[7]) then return 'full' end
        redis.call('HSET', KEYS[2], ARGV[5], ARGV[6])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
        redis.call('PUBLISH', ARGV[1] .. 'changes', 'c|' .. string.sub(KEYS[1], #ARGV[1] + 4, -2) .. '|')
        return 'written'
        """;

    /// <summary>
    /// KEYS session, attributes; ARGV[5] cutoff. Deletes the session when it ended before the cutoff:
    /// {user, current hash, previous hash or ''} of what was deleted (its indexes go next), or nil.
    /// </summary>
    public const string Purge = """
        local cutoff = tonumber(ARGV[5])
        local r = redis.call('HMGET', KEYS[1], 'u', 'h', 'ph', 'ie', 'ae', 'ra')
        if not r[1] then return nil end
        if tonumber(r[4]) < cutoff or tonumber(r[5]) < cutoff or (r[6] and tonumber(r[6]) < cutoff) then
          redis.call('DEL', KEYS[1], KEYS[2])
          redis.call('PUBLISH', ARGV[1] .. 'changes', 'd|' .. string.sub(KEYS[1], #ARGV[1] + 4, -2) .. '|' .. r[1])
          return { r[1], r[2], r[3] or '' }
        end
        return nil
        """;

    /// <summary>
    /// KEYS session, attributes; ARGV[5] the secret hash of a sign-in that failed part-way, ARGV[6] its
    /// user. Deletes the session only when it is that sign-in's (its hash and user): 1 when deleted or
    /// absent, 0 when the handle holds another session, which stays.
    /// </summary>
    public const string Discard = """
        local r = redis.call('HMGET', KEYS[1], 'u', 'h')
        if not r[1] then return 1 end
        if r[1] ~= ARGV[6] or r[2] ~= ARGV[5] then return 0 end
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('PUBLISH', ARGV[1] .. 'changes', 'd|' .. string.sub(KEYS[1], #ARGV[1] + 4, -2) .. '|' .. r[1])
        return 1
        """;

    /// <summary>KEYS[1] a secret index; ARGV[1] handle. Deletes the index only while it still names the handle (1 deleted).</summary>
    public const string ReleaseIndex = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>KEYS[1] a secret index; ARGV[1] handle, ARGV[2] lifetime (ms). Sets the index's lifetime only while it still names the handle.</summary>
    public const string ExtendIndex = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    /// <summary>
    /// KEYS[1] user index; ARGV[1] now, ARGV[2] handle, ARGV[3] when its session's keys are gone at
    /// the latest (Unix ms, the score). Drops members whose sessions are certainly gone, adds the
    /// handle, and keeps the index as long as its longest-lived member.
    /// </summary>
    public const string AddToUser = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
        local ttl = tonumber(ARGV[3]) - tonumber(ARGV[1])
        if ttl < 1000 then ttl = 1000 end
        if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl)) end
        return 1
        """;

    /// <summary>KEYS[1] user index; ARGV[1] now. Drops members whose sessions are certainly gone; the others' handles.</summary>
    public const string ReadUser = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        return redis.call('ZRANGE', KEYS[1], 0, -1)
        """;
}
