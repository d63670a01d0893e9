using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jwt;

/// <summary>
/// Remembers tokens a <see cref="JwtValidator"/> found fully valid, so a client that sends the same
/// access token many times pays one signature verification, not one per request. Bounded in
/// entries and (approximate) bytes; thread-safe; a hit allocates nothing.
/// </summary>
/// <remarks>
/// <para>Why a hit is as strong as verifying again:</para>
/// <list type="bullet">
/// <item>The key is the SHA-256 of the exact token text (header, payload and signature; its ASCII
/// bytes, a token with any other character is never cached). A hit needs
/// the very characters that were verified; a token differing in one character (a tampered payload,
/// another signature) hashes elsewhere and is validated in full. Finding a second token with the
/// same hash is a SHA-256 collision. The token itself is not kept, only its hash and its claims.</item>
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

    // Per entry besides what scales with the token: the entry, the dictionary node, the claims object.
    private const int EntryOverhead = 256;

    private readonly ConcurrentDictionary<TokenHash, Entry> _entries = new();
    private readonly Lock _evicting = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private int _count;
    private long _bytes;
    private long _misses;

    /// <summary>
    /// A cache of at most <paramref name="maxEntries"/> tokens and about <paramref name="maxBytes"/>
    /// bytes (concurrent additions may overshoot by one entry per thread until the next eviction).
    /// One instance may serve several validators or schemes: an entry answers only the validator that filled it.
    /// </summary>
    public VerifiedTokenCache(int maxEntries = DefaultMaxEntries, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    /// <summary>The tokens held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The approximate bytes held now (claims and bookkeeping; the tokens themselves are not kept).</summary>
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

        if (!TokenHash.TryOf(token, out TokenHash hash))
        {
            // Not ASCII, so not a compact JWS: the validator refuses it, uncached.
            Interlocked.Increment(ref _misses);
            return validator.Validate(token, keys);
        }

        if (_entries.TryGetValue(hash, out Entry? entry))
        {
            long now = rules.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
            if (entry.Serves(validator, keys, now))
            {
                fromCache = true;
                return new JwtValidation(entry.Claims, null);
            }

            Remove(hash, entry);
        }

        Interlocked.Increment(ref _misses);
        JwtValidation validation = validator.Validate(token, keys);
        if (validation.Claims is { } claims)
        {
            Add(hash, token.Length, validator, keys, claims);
        }

        return validation;
    }

    /// <summary>Forgets every token.</summary>
    public void Clear()
    {
        foreach (KeyValuePair<TokenHash, Entry> pair in _entries)
        {
            Remove(pair.Key, pair.Value);
        }
    }

    private void Add(TokenHash hash, int tokenLength, JwtValidator validator, JwkSet keys, JwtClaims claims)
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
        var entry = new Entry(claims, validator, keys, key, window.From, window.Until, EntryOverhead + (2L * tokenLength));
        if (Volatile.Read(ref _count) >= _maxEntries || Volatile.Read(ref _bytes) + entry.Cost > _maxBytes)
        {
            MakeRoom(now, entry.Cost);
            if (Volatile.Read(ref _count) >= _maxEntries || Volatile.Read(ref _bytes) + entry.Cost > _maxBytes)
            {
                return;
            }
        }

        if (_entries.TryAdd(hash, entry))
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
            foreach (KeyValuePair<TokenHash, Entry> pair in _entries)
            {
                if (now >= pair.Value.Until)
                {
                    Remove(pair.Key, pair.Value);
                }
            }

            foreach (KeyValuePair<TokenHash, Entry> pair in _entries)
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

    private void Remove(TokenHash hash, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<TokenHash, Entry>(hash, entry)))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -entry.Cost);
        }
    }

    /// <summary>
    /// The SHA-256 of a token's characters, one byte each: a compact JWS is ASCII (RFC 7515 §7.1:
    /// base64url and dots), so the ASCII bytes are the characters one to one and equal hashes mean
    /// equal tokens, at half the bytes hashed of the UTF-16 code units. A token with any other
    /// character has no hash (<see cref="TryOf"/> is false) and is never cached: hashing its code
    /// units instead could equal the hash of an ASCII token whose bytes they spell.
    /// </summary>
    private readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
    {
        private const int StackLimit = 2048;

        public static bool TryOf(string token, out TokenHash hash)
        {
            hash = default;
            byte[]? rented = null;
            Span<byte> ascii = token.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
            try
            {
                if (Ascii.FromUtf16(token, ascii, out int written) != OperationStatus.Done)
                {
                    return false;
                }

                Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(ascii[..written], digest);
                hash = new TokenHash(
                    BinaryPrimitives.ReadUInt64LittleEndian(digest),
                    BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));
                return true;
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
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
