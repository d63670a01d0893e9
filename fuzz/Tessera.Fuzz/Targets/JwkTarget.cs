using System.Text;
using Tessera.Jose.Keys;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The JWK and JWK Set reader (RFC 7517): any bytes, as UTF-8 text, through <see cref="Jwk.TryParse"/>
/// and <see cref="JwkSet.TryParse"/>. Documented: a result, never an exception. Properties: a key
/// that parses writes out JSON that parses back to the same key (same RFC 7638 thumbprint, same
/// metadata), and a set's keys each do too.
/// </summary>
internal static class JwkTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        string json = Encoding.UTF8.GetString(input);
        if (Jwk.TryParse(json, out Jwk? key, out _))
        {
            RoundTrip(key!);
        }

        if (JwkSet.TryParse(json, out JwkSet? set, out _))
        {
            foreach (Jwk member in set!.Keys)
            {
                RoundTrip(member);
                _ = set.FindByKeyId(member.EffectiveKeyId);
            }

            if (!set.Keys.Any(k => k.HasPrivateKey))
            {
                FuzzPropertyException.Check(JwkSet.TryParse(set.ToJson(), out JwkSet? again, out _) && again!.Keys.Count == set.Keys.Count,
                    "a parsed public JWK Set written out parses back with as many keys");
            }
        }
    }

    private static void RoundTrip(Jwk key)
    {
        string written = key.ToJson(includePrivate: true);
        FuzzPropertyException.Check(Jwk.TryParse(written, out Jwk? again, out var error), $"a parsed key's JSON parses again ({error})");
        FuzzPropertyException.Check(again!.Thumbprint == key.Thumbprint, "the thumbprint survives a round trip");
        FuzzPropertyException.Check(again.KeyId == key.KeyId && again.Algorithm == key.Algorithm && again.Use == key.Use && again.HasPrivateKey == key.HasPrivateKey,
            "kid, alg, use and the private part survive a round trip");
        FuzzPropertyException.Check(again.PermittedAlgorithms.SequenceEqual(key.PermittedAlgorithms), "the permitted algorithms survive a round trip");
        if (key.KeyType != JwkKeyType.Octet)
        {
            Jwk publicKey = key.ToPublicJwk();
            FuzzPropertyException.Check(!publicKey.HasPrivateKey && publicKey.Thumbprint == key.Thumbprint, "the public half has the same thumbprint and no private part");
        }
    }
}
