namespace Tessera.Redis;

/// <summary>
/// The Lua scripts behind every write (and the multi-key reads): Redis runs a script atomically,
/// so each one is a compare-and-set with no window for a concurrent writer, on any instance.
/// Every script takes the same first arguments (<see cref="Common"/>); its own start at ARGV[5].
/// </summary>
internal static class RedisSessionScripts
{
    /// <summary>
    /// ARGV[1] key prefix (with the layout version), ARGV[2] now (Unix ms, from the store's
    /// TimeProvider), ARGV[3] retention (ms), ARGV[4] revocation-list lifetime (ms).
    /// Session hash fields: v format, u user, h secret hash (base64url), c created, ls last seen,
    /// ie idle expiry, ae absolute expiry, k kind, ip, ua, ra revoked at, rr reason, fa flagged at,
    /// fr flag reason, ph previous hash, rt rotated at, g generation (absent = 0), rb the rotating
    /// client's fingerprint (base64url), ci OAuth client, sc granted scope, at authentication time,
    /// am authentication methods (amr), jk DPoP key thumbprint (times in Unix ms; absent = null).
    /// </summary>
    private const string Common = """
        local P, NOW, RETENTION, LIST_TTL = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local function skey(handle) return P .. 's:' .. handle end
        local function akey(handle) return P .. 'attr:' .. handle end
        local function ukey(user) return P .. 'user:' .. user end
        local function int(x) return string.format('%d', x) end

        -- How long a session's keys live: until it ends (revoked, idle or absolute expiry) plus the
        -- retention, so a replayed secret is told "revoked" or "expired" until then.
        local function ttl_of(ie, ae, ra)
          local ends = math.min(tonumber(ie), tonumber(ae))
          if ra then ends = math.min(ends, tonumber(ra)) end
          return math.max(ends + RETENTION - NOW, 1000)
        end

        -- The session, its secret indexes and attributes expire together; the user index lives
        -- as long as its longest-lived member (stale members are pruned when it is read).
        local function expire_session(handle, user, h, ph, ttl)
          ttl = int(ttl)
          redis.call('PEXPIRE', skey(handle), ttl)
          redis.call('PEXPIRE', P .. 'cur:' .. h, ttl)
          if ph then redis.call('PEXPIRE', P .. 'prev:' .. ph, ttl) end
          redis.call('PEXPIRE', akey(handle), ttl)
          local uk = ukey(user)
          if redis.call('PTTL', uk) < tonumber(ttl) then redis.call('PEXPIRE', uk, ttl) end
        end

        -- The user's handles whose session still exists; the others (expired by Redis) are removed.
        local function prune_user(uk)
          local live = {}
          for _, handle in ipairs(redis.call('ZRANGE', uk, 0, -1)) do
            if redis.call('EXISTS', skey(handle)) == 1 then live[#live + 1] = handle else redis.call('ZREM', uk, handle) end
          end
          return live
        end

        -- #13: every change is announced to the other instances (RedisSessionChangeFeed) in the same
        -- atomic step as the change itself: names only, never a secret hash.
        -- A revocation also says how long the id stays on the list (ms), so a listener holding revoked
        -- ids keeps them as long as this issuer's tokens can live, whatever its own settings say.
        local function announce(kind, handle, user, listed)
          redis.call('PUBLISH', P .. 'changes', kind .. '|' .. handle .. '|' .. (user or '') .. (listed and ('|' .. listed) or ''))
        end

        local function revoke(handle, at, reason)
          local sk = skey(handle)
          local r = redis.call('HMGET', sk, 'u', 'h', 'ph', 'ie', 'ae', 'ra')
          if not r[1] or r[6] then return 0 end
          redis.call('HSET', sk, 'ra', at, 'rr', reason)
          expire_session(handle, r[1], r[2], r[3], ttl_of(r[4], r[5], at))
          if LIST_TTL > 0 then redis.call('SET', P .. 'revoked:' .. handle, at, 'PX', int(LIST_TTL)) end
          announce('r', handle, r[1], LIST_TTL > 0 and int(LIST_TTL) or nil)
          return 1
        end

        """;

    /// <summary>KEYS[1] session; ARGV[5] handle, ARGV[6..] field/value pairs. 1 created, 0 handle or secret taken.</summary>
    public const string Create = Common + """
        local sk, handle = KEYS[1], ARGV[5]
        local fields = {}
        for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
        local h, user, created
        for i = 1, #fields, 2 do
          if fields[i] == 'h' then h = fields[i + 1] elseif fields[i] == 'u' then user = fields[i + 1] elseif fields[i] == 'c' then created = fields[i + 1] end
        end
        if redis.call('EXISTS', sk) == 1 or redis.call('EXISTS', P .. 'cur:' .. h) == 1 then return 0 end
        redis.call('HSET', sk, unpack(fields))
        local r = redis.call('HMGET', sk, 'ph', 'ie', 'ae', 'ra')
        redis.call('SET', P .. 'cur:' .. h, handle)
        if r[1] then redis.call('SET', P .. 'prev:' .. r[1], handle) end
        local uk = ukey(user)
        prune_user(uk)
        redis.call('ZADD', uk, created, handle)
        expire_session(handle, user, h, r[1], ttl_of(r[2], r[3], r[4]))
        return 1
        """;

    /// <summary>KEYS[1] an index key (current or previous hash). {handle, fields} or nil.</summary>
    public const string FindByIndex = Common + """
        local handle = redis.call('GET', KEYS[1])
        if not handle then return nil end
        local fields = redis.call('HGETALL', skey(handle))
        if #fields == 0 then return nil end
        return { handle, fields }
        """;

    /// <summary>
    /// KEYS[1] session; ARGV[5] handle, ARGV[6] last seen, ARGV[7] idle expiry, ARGV[8] the touching
    /// instance's origin ('' for none: see <see cref="RedisSessionChangeFeed.Origin"/>), announced as
    /// <c>c|handle|user|o:origin</c>. Only moves forward; never a revoked session.
    /// </summary>
    public const string Touch = Common + """
        local r = redis.call('HMGET', KEYS[1], 'u', 'h', 'ph', 'ls', 'ae', 'ra')
        if not r[1] or r[6] or tonumber(r[4]) >= tonumber(ARGV[6]) then return 0 end
        redis.call('HSET', KEYS[1], 'ls', ARGV[6], 'ie', ARGV[7])
        expire_session(ARGV[5], r[1], r[2], r[3], ttl_of(ARGV[7], r[5], nil))
        announce('c', ARGV[5], r[1], ARGV[8] ~= '' and ('o:' .. ARGV[8]) or nil)
        return 1
        """;

    /// <summary>KEYS[1] session; ARGV[5] handle, ARGV[6] revoked at, ARGV[7] reason. 1 revoked, 0 missing or already revoked.</summary>
    public const string Revoke = Common + """
        return revoke(ARGV[5], ARGV[6], ARGV[7])
        """;

    /// <summary>KEYS[1] user index; ARGV[5] handle to spare ('' for none), ARGV[6] revoked at, ARGV[7] reason. How many were revoked.</summary>
    public const string RevokeAll = Common + """
        local count = 0
        for _, handle in ipairs(prune_user(KEYS[1])) do
          if handle ~= ARGV[5] then count = count + revoke(handle, ARGV[6], ARGV[7]) end
        end
        return count
        """;

    /// <summary>KEYS[1] session; ARGV[5] flagged at, ARGV[6] reason. The first flag stays.</summary>
    public const string Flag = Common + """
        local r = redis.call('HMGET', KEYS[1], 'u', 'fa')
        if r[1] and not r[2] then
          redis.call('HSET', KEYS[1], 'fa', ARGV[5], 'fr', ARGV[6])
          -- v1 names the session s:handle, v2 (Redis Cluster, which runs this script too) s:{handle}.
          local handle = string.sub(KEYS[1], #P + 3)
          if string.sub(handle, 1, 1) == '{' then handle = string.sub(handle, 2, -2) end
          announce('c', handle, r[1])
        end
        return 0
        """;

    /// <summary>KEYS[1] user index. {handle, fields, handle, fields, …} of the sessions that still exist.</summary>
    public const string List = Common + """
        local out = {}
        for _, handle in ipairs(prune_user(KEYS[1])) do
          out[#out + 1] = handle
          out[#out + 1] = redis.call('HGETALL', skey(handle))
        end
        return out
        """;

    /// <summary>
    /// KEYS[1] session; ARGV[5] handle, ARGV[6] expected hash, ARGV[7] next hash, ARGV[8] rotated at,
    /// ARGV[9] idle expiry, ARGV[10] the rotating client's fingerprint ('' for none), ARGV[11] '1' to
    /// index the retired hash (<c>prev:</c>, <see cref="Tessera.Sessions.PreviousSecretLookup.ByHash"/>), '0' not to. The
    /// compare-and-swap of token mode, with the touch and the generation count in the same step (last
    /// seen moves only forward): 1 swapped, 0 when the session is gone or revoked, its hash is no
    /// longer the expected one (another refresh won), or the next hash is taken. No key per retired
    /// hash: a refresh token carries its generation, so an older one is recognised without it; and
    /// (#13) a version-2 token carries its handle, so even the previous one needs no <c>prev:</c> key
    /// (about 260 bytes of a rotated session): it is in the hash (<c>ph</c>). The index of the hash the
    /// rotation before retired goes either way, whichever shape wrote it.
    /// </summary>
    public const string Rotate = Common + """
        local sk, handle, expected, nexthash = KEYS[1], ARGV[5], ARGV[6], ARGV[7]
        local r = redis.call('HMGET', sk, 'u', 'h', 'ph', 'ls', 'ae', 'ra')
        if not r[1] or r[6] or r[2] ~= expected then return 0 end
        if redis.call('EXISTS', P .. 'cur:' .. nexthash) == 1 then return 0 end
        redis.call('DEL', P .. 'cur:' .. expected)
        if r[3] then redis.call('DEL', P .. 'prev:' .. r[3]) end
        redis.call('SET', P .. 'cur:' .. nexthash, handle)
        if ARGV[11] == '1' then redis.call('SET', P .. 'prev:' .. expected, handle) end
        local seen = r[4]
        if not seen or tonumber(seen) < tonumber(ARGV[8]) then seen = ARGV[8] end
        redis.call('HSET', sk, 'h', nexthash, 'ph', expected, 'rt', ARGV[8], 'ls', seen, 'ie', ARGV[9])
        redis.call('HINCRBY', sk, 'g', 1)
        if ARGV[10] ~= '' then redis.call('HSET', sk, 'rb', ARGV[10]) else redis.call('HDEL', sk, 'rb') end
        expire_session(handle, r[1], nexthash, expected, ttl_of(ARGV[9], r[5], nil))
        announce('c', handle, r[1])
        return 1
        """;

    /// <summary>KEYS[1] session; ARGV[5] handle, ARGV[6] key, ARGV[7] value, ARGV[8] limit. 'written', 'missing' or 'full'.</summary>
    public const string SetAttribute = Common + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
        local ak = akey(ARGV[5])
        if redis.call('HEXISTS', ak, ARGV[6]) == 0 and redis.call('HLEN', ak) >= tonumber(ARGV[8]) then return 'full' end
        redis.call('HSET', ak, ARGV[6], ARGV[7])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then redis.call('PEXPIRE', ak, ttl) end
        announce('c', ARGV[5], nil)
        return 'written'
        """;

    /// <summary>
    /// No keys; ARGV[5] SCAN cursor, ARGV[6] cutoff, ARGV[7] pattern of session keys. One SCAN step:
    /// deletes the sessions that ended before the cutoff. {next cursor, how many were deleted}.
    /// </summary>
    public const string PurgeStep = Common + """
        local cutoff = tonumber(ARGV[6])
        local scan = redis.call('SCAN', ARGV[5], 'MATCH', ARGV[7], 'COUNT', 500)
        local purged = 0
        for _, sk in ipairs(scan[2]) do
          local r = redis.call('HMGET', sk, 'u', 'h', 'ph', 'ie', 'ae', 'ra')
          if r[1] and (tonumber(r[4]) < cutoff or tonumber(r[5]) < cutoff or (r[6] and tonumber(r[6]) < cutoff)) then
            local handle = string.sub(sk, #P + 3)
            redis.call('DEL', sk, akey(handle), P .. 'cur:' .. r[2])
            if r[3] then redis.call('DEL', P .. 'prev:' .. r[3]) end
            redis.call('ZREM', ukey(r[1]), handle)
            announce('d', handle, r[1])
            purged = purged + 1
          end
        end
        return { scan[1], purged }
        """;
}
