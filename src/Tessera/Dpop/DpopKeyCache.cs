using System.Collections.Concurrent;
using Tessera.Jose;
using Tessera.Jose.Keys;

namespace Tessera.Dpop;

/// <summary>
/// The public keys of recent proofs, parsed once. A client signs every proof with the same key, and
/// importing a key (the curve-point check of an EC key) costs about as much as verifying a signature,
/// so parsing it on every request would double a proof's cost. The key is the exact <c>jwk</c> JSON
/// text of the proof header: the same text always parses to the same public key, and nothing about
/// the proof is cached (its signature, claims and <c>jti</c> are still checked every time). Bounded:
/// when full it starts over, so a client sending a new key on every request gains nothing but costs
/// no more than without the cache.
/// </summary>
internal sealed class DpopKeyCache
{
    /// <summary>Distinct client keys kept (about 1 KB each at most).</summary>
    public const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, Jwk> _keys = new(StringComparer.Ordinal);

    /// <summary>The key <paramref name="jwkJson"/> describes, from the cache or freshly parsed; null with <paramref name="error"/> when it is not a usable key.</summary>
    public Jwk? Get(string jwkJson, out JoseError? error)
    {
        if (_keys.TryGetValue(jwkJson, out Jwk? cached))
        {
            error = null;
            return cached;
        }

        if (!Jwk.TryParse(jwkJson, out Jwk? key, out error) || key is null)
        {
            return null;
        }

        if (_keys.Count >= MaxEntries)
        {
            _keys.Clear();
        }

        _keys.TryAdd(jwkJson, key);
        return key;
    }
}
