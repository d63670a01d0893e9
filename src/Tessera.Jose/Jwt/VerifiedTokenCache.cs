using System.Collections.Concurrent;
using System.Numerics;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jwt;

/// <summary>
/// Remembers tokens a <see cref="JwtValidator"/> found fully valid, so a client that sends the same
/// access token many times pays two signature verifications, not one per request. Bounded in
/// entries and (approximate) bytes; thread-safe; a hit allocates nothing.
/// </summary>
/// <remarks>
/// <para>A token is cached the second time it is found valid, not the first (unless
/// <see cref="CacheOnFirstValidation"/>): the first time only a 32-bit mark of it is kept, in a
/// fixed table (TinyLFU's "doorkeeper"). Tokens sent once (a job that makes one call per token, a
/// flood of fresh tokens) then neither push out the tokens clients do reuse nor fill the cache with
/// entries nobody reads again, each kept alive past the garbage collector's youngest generation
/// until it is evicted. The price is one more verification per reused token, on its second
/// request. The mark only decides whether a valid token is stored: a mark that collides with
/// another token's stores a token on its first validation, nothing more.</para>
/// <para>Why a hit is as strong as verifying again:</para>
/// <list type="bullet">
/// <item>The key is the exact token text (header, payload and signature), compared in full,
/// ordinal, on every hit: a hit needs the very characters that were verified, and a token differing
/// in one character (a tampered payload, another signature) is another key, validated in full. No
/// digest is computed per request: SHA-256 of a 500-character token costs more than the rest of a
/// cached request (OpenSSL 3.0's per-call overhead; see docs/benchmarks.md). The text is held for
/// as long as its entry (at most until the token's <c>exp</c>): a credential this process already
/// received and accepted, kept no longer than it is valid.</item>
/// <item>Only successes are stored: a refused token is validated in full every time it is sent.</item>
/// <item>An entry never outlives what made the token valid: on every hit the validator's own clock
/// and skew are applied to <c>exp</c>, <c>nbf</c>, <c>iat</c> and the maximum age (RFC 7519 §4.1,
/// RFC 8725 §3.10); the key that verified it must still be in the key set the request uses (a key
/// removed from the ring or the JWKS drops the entry and the token is validated again, and fails);
/// and the same validator (so the same algorithms, <c>typ</c>, issuers and audiences, RFC 8725 §3.1,
/// §3.9, §3.11) must ask.</item>
/// <item>Nothing else is cached: what is not about the token's signature and claims — the issuer of
/// the request, the session's revocation, binding — is still checked by the caller on every
/// request (RFC 6750 §3.1 still answers <c>invalid_token</c> the moment any of them fails).</item>
/// </list>
/// </remarks>
public sealed class VerifiedTokenCache
{
    /// <summary>The default bound on entries.</summary>
    public const int DefaultMaxEntries = 10_000;

    /// <summary>The default bound on the approximate memory held, in bytes (8 MiB).</summary>
    public const long DefaultMaxBytes = 8L * 1024 * 1024;

    // Per entry besides what scales with the token (2 bytes a character for its text, the key, and
    // about 1 for its claims): the entry, the dictionary node, the claims object.
    private const int EntryOverhead = 256;

    // What the claims' parsed root holds once anything beyond the registered claims is read (the
    // bearer handlers' principal mapping reads them all, so nearly every cached token gets one): a
    // copy of the payload and the document's index of it, 12 bytes per JSON value or name. For the
    // payloads issuers write (names and short values, 6 to 20 bytes each) that is 2 to 3 times the
    // payload; 4 times is charged up front, before the parse, so the byte bound holds once it
    // happens. Only tokens whose signature verified get here: a payload of one-byte values that
    // needs more is the trusted issuer's own doing (VerifiedTokenCacheMemoryTests).
    private const int ParsedRootPerPayloadByte = 4;
    private const int ParsedRootOverhead = 128;

    // The doorkeeper: one table of marks, about one slot per entry the cache may hold.
    private const int MinSeenSlots = 64;
    private const int MaxSeenSlots = 1 << 20;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(TokenComparer.Instance);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;
    private readonly int[] _seenOnce;
    private readonly Lock _evicting = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private int _count;
    private long _bytes;
    private long _misses;

    /// <summary>
    /// A cache of at most <paramref name="maxEntries"/> tokens and about <paramref name="maxBytes"/>
    /// bytes (concurrent additions may overshoot by one entry per thread until the next eviction),
    /// plus the fixed table of tokens seen once: 4 bytes per slot, <paramref name="maxEntries"/>
    /// rounded up to a power of two (64 KiB by default, at most 4 MiB).
    /// One instance may serve several validators or schemes: an entry answers only the validator that filled it.
    /// </summary>
    public VerifiedTokenCache(int maxEntries = DefaultMaxEntries, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
        _seenOnce = new int[BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(maxEntries, MinSeenSlots, MaxSeenSlots))];
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Whether a token is cached the first time it is found valid. False (the default): the second
    /// time, so that tokens sent only once never take a place in the cache (see the remarks).
    /// </summary>
    public bool CacheOnFirstValidation { get; init; }

    /// <summary>The tokens held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The approximate bytes held now: each token's text (its key), its claims with the parsed root
    /// they keep once read beyond the registered claims (charged when the token is stored), and the bookkeeping.
    /// </summary>
    public long ApproximateBytes => Volatile.Read(ref _bytes);

    /// <summary>How many validations were not answered from the cache (each one a full validation, signature included).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// The claims of <paramref name="token"/> as <paramref name="validator"/> would find them with
    /// <paramref name="keys"/>: from the cache when this exact token was found valid before, by the
    /// same validator, with a key <paramref name="keys"/> still holds, and is still within its
    /// lifetime now; otherwise by <see cref="JwtValidator.Validate(string, JwkSet)"/>, remembering
    /// the result only when it is valid.
    /// </summary>
    public JwtValidation Validate(JwtValidator validator, string token, JwkSet keys) => Validate(validator, token, keys, out _);

    /// <summary>
    /// As <see cref="Validate(JwtValidator, string, JwkSet)"/>; <paramref name="fromCache"/> says
    /// whether the answer came from the cache (for a hit-rate metric).
    /// </summary>
    public JwtValidation Validate(JwtValidator validator, string token, JwkSet keys, out bool fromCache)
    {
        fromCache = false;
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(keys);

        JwtPolicyRules rules = validator.Rules;
        if (token.Length > rules.Jws.MaxTokenLength)
        {
            return validator.Validate(token, keys);
        }

        if (_entries.TryGetValue(token, out Entry? entry))
        {
            long now = rules.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
            if (entry.Serves(validator, keys, now))
            {
                fromCache = true;
                return new JwtValidation(entry.Claims, null);
            }

            Remove(token, entry);
        }

        Interlocked.Increment(ref _misses);
        JwtValidation validation = validator.Validate(token, keys);
        if (validation.Claims is { } claims && Admits(token))
        {
            Add(token, validator, keys, claims);
        }

        return validation;
    }

    /// <summary>
    /// <paramref name="token"/> as a string: the cache's own string when it holds this exact text,
    /// else a new one. A request's header holds the token among other characters, and a copy of a
    /// 500-character token is a kilobyte on every request of a client that sends it again; the
    /// string handed back is only text (whether the token is valid is <see cref="Validate(JwtValidator, string, JwkSet, out bool)"/>'s
    /// to say), and equal to <paramref name="token"/> character for character.
    /// </summary>
    public string TextOf(ReadOnlySpan<char> token) =>
        _entriesBySpan.TryGetValue(token, out string? cached, out _) ? cached : token.ToString();

    /// <summary>Forgets every token (those seen once included).</summary>
    public void Clear()
    {
        Array.Clear(_seenOnce);
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            Remove(pair.Key, pair.Value);
        }
    }

    /// <summary>
    /// Whether a token just found valid goes into the cache: when it was found valid before (its
    /// mark is in its slot), else its mark is left there and it does not. Races between threads only
    /// lose or repeat a mark: a token is then stored one validation later or earlier.
    /// </summary>
    private bool Admits(string token)
    {
        if (CacheOnFirstValidation)
        {
            return true;
        }

        int hash = TokenComparer.Instance.GetHashCode(token);
        ref int slot = ref _seenOnce[hash & (_seenOnce.Length - 1)];
        int mark = hash | 1; // never 0, the empty slot's value
        if (Volatile.Read(ref slot) == mark)
        {
            return true;
        }

        Volatile.Write(ref slot, mark);
        return false;
    }

    private void Add(string token, JwtValidator validator, JwkSet keys, JwtClaims claims)
    {
        JwtPolicyRules rules = validator.Rules;
        long now = rules.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (claims.VerifiedBy is not { } key || Window(claims, rules) is not { } window || now < window.From || now >= window.Until)
        {
            // No exp (nothing would bound the entry), or already outside its window by now.
            return;
        }

        // sub, jti and the binding are worked out now, so that a hit allocates nothing for them
        // (cnf is read by every bearer request, RFC 9449 §7). The payload is not parsed here: a
        // miss that needs no other claim never parses it (JwtClaims' lazy parts are thread-safe).
        _ = claims.Subject;
        _ = claims.JwtId;
        _ = claims.Confirmation;
        var entry = new Entry(claims, validator, keys, key, window.From, window.Until, EntryOverhead + (3L * token.Length) + ParsedRootOverhead + ((long)ParsedRootPerPayloadByte * claims.PayloadLength));
        if (Volatile.Read(ref _count) >= _maxEntries || Volatile.Read(ref _bytes) + entry.Cost > _maxBytes)
        {
            MakeRoom(now, entry.Cost);
            if (Volatile.Read(ref _count) >= _maxEntries || Volatile.Read(ref _bytes) + entry.Cost > _maxBytes)
            {
                return;
            }
        }

        if (_entries.TryAdd(token, entry))
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _bytes, entry.Cost);
        }
    }

    /// <summary>
    /// The seconds [from, until) in which the validator would accept these claims, as
    /// <see cref="JwtValidator"/> computes them; null without <c>exp</c>.
    /// </summary>
    private static (long From, long Until)? Window(JwtClaims claims, JwtPolicyRules rules)
    {
        if (claims.ExpiresAt is not { } exp)
        {
            return null;
        }

        long skew = rules.SkewSeconds;
        long until = exp.ToUnixTimeSeconds() + skew;
        long from = long.MinValue;
        if (claims.NotBefore is { } nbf)
        {
            from = nbf.ToUnixTimeSeconds() - skew;
        }

        if (claims.IssuedAt is { } issued)
        {
            long iat = issued.ToUnixTimeSeconds();
            from = Math.Max(from, iat - skew);
            if (rules.MaxAgeSeconds is long maxAge)
            {
                until = Math.Min(until, iat + maxAge + skew);
            }
        }

        return (from, until);
    }

    /// <summary>Drops expired entries, then arbitrary ones (hash order), until a quarter is free.</summary>
    private void MakeRoom(long now, long incoming)
    {
        if (!_evicting.TryEnter())
        {
            return;
        }

        try
        {
            int targetCount = _maxEntries - Math.Max(1, _maxEntries / 4);
            long targetBytes = Math.Max(0, _maxBytes - Math.Max(incoming, _maxBytes / 4));
            foreach (KeyValuePair<string, Entry> pair in _entries)
            {
                if (now >= pair.Value.Until)
                {
                    Remove(pair.Key, pair.Value);
                }
            }

            foreach (KeyValuePair<string, Entry> pair in _entries)
            {
                if (Volatile.Read(ref _count) <= targetCount && Volatile.Read(ref _bytes) <= targetBytes)
                {
                    break;
                }

                Remove(pair.Key, pair.Value);
            }
        }
        finally
        {
            _evicting.Exit();
        }
    }

    private void Remove(string token, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, Entry>(token, entry)))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -entry.Cost);
        }
    }

    /// <summary>
    /// Tokens compared in full (ordinal) and hashed by their last characters only: the signature,
    /// which differs between any two tokens an issuer signs, so hashing the header and payload too
    /// would only cost time on every request. A token that keeps a cached token's signature but
    /// changes anything before it lands in that token's bucket and is told apart by the comparison
    /// (then validated in full, and refused). The hash is the runtime's randomized one (seeded per
    /// process), so no one can choose tokens that pile into one bucket.
    /// </summary>
    private sealed class TokenComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
    {
        public static readonly TokenComparer Instance = new();

        // 64 characters (384 bits of signature or more): all of an HS256 signature's 43 and most of an ES256 one's 86.
        private const int HashedTail = 64;

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string token) => GetHashCode(token.AsSpan());

        // The same hash for the same characters, held in a string or not (TextOf looks a header's characters up).
        public int GetHashCode(ReadOnlySpan<char> token) => string.GetHashCode(token[Math.Max(0, token.Length - HashedTail)..]);

        public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

        public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();
    }

    /// <summary>One verified token: its claims, who verified it with what, and when it is valid.</summary>
    private sealed class Entry(JwtClaims claims, JwtValidator validator, JwkSet keys, Jwk key, long from, long until, long cost)
    {
        // The set the key was last seen in: the same set instance needs no look-up.
        private JwkSet _keys = keys;

        public JwtClaims Claims { get; } = claims;

        public long Until { get; } = until;

        public long Cost { get; } = cost;

        public bool Serves(JwtValidator asking, JwkSet keys, long now)
        {
            if (!ReferenceEquals(asking, validator) || now < from || now >= Until)
            {
                return false;
            }

            if (ReferenceEquals(Volatile.Read(ref _keys), keys))
            {
                return true;
            }

            // Another snapshot of the ring or the JWKS: the same key (material, kid and what it
            // permits) must be in it, or the entry goes.
            if (!JwsAlgorithms.All.TryGetValue(Claims.Algorithm, out JwsAlgorithm? algorithm))
            {
                return false;
            }

            foreach (Jwk candidate in keys.FindByKeyId(key.EffectiveKeyId))
            {
                if ((ReferenceEquals(candidate, key) || string.Equals(candidate.Thumbprint, key.Thumbprint, StringComparison.Ordinal))
                    && string.Equals(candidate.KeyId, key.KeyId, StringComparison.Ordinal)
                    && asking.Rules.Jws.KeyMayVerify(candidate, algorithm))
                {
                    Volatile.Write(ref _keys, keys);
                    return true;
                }
            }

            return false;
        }
    }
}
