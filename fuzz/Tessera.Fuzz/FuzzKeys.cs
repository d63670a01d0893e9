using System.Reflection;
using System.Text.Json;
using Tessera.Jose.Keys;

namespace Tessera.Fuzz;

/// <summary>
/// The keys the JOSE targets verify with: the RFC example keys of fuzz-keys.json, so the RFC
/// tokens in the corpus verify and the fuzzer starts from inputs that reach the success path.
/// A JWK Set holds secrets or public keys, never both, hence two sets.
/// </summary>
internal static class FuzzKeys
{
    private static readonly Lazy<(JwkSet Public, JwkSet Symmetric, Jwk Signing, Jwk ProofSigning)> Loaded = new(Load);

    /// <summary>The public halves of the RSA, EC and OKP example keys.</summary>
    public static JwkSet Public => Loaded.Value.Public;

    /// <summary>The <c>oct</c> example keys.</summary>
    public static JwkSet Symmetric => Loaded.Value.Symmetric;

    /// <summary>The HS256 key of RFC 7515 A.1, which signs what the signed-payload target is given.</summary>
    public static Jwk Signing => Loaded.Value.Signing;

    /// <summary>The P-256 key of RFC 7515 A.3 (private), which signs the DPoP proofs the dpop target is given.</summary>
    public static Jwk ProofSigning => Loaded.Value.ProofSigning;

    private static (JwkSet, JwkSet, Jwk, Jwk) Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tessera.Fuzz.fuzz-keys.json")
            ?? throw new InvalidOperationException("fuzz-keys.json is not embedded");
        using JsonDocument document = JsonDocument.Parse(stream);
        var publicKeys = new List<Jwk>();
        var symmetricKeys = new List<Jwk>();
        Jwk? proofSigning = null;
        foreach (JsonElement element in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            Jwk key = Jwk.Parse(element.GetRawText());
            if (key.KeyType == JwkKeyType.Octet)
            {
                symmetricKeys.Add(key);
            }
            else
            {
                publicKeys.Add(key.ToPublicJwk());
                proofSigning ??= key.DefaultAlgorithm.Name == "ES256" ? key : null;
            }
        }

        return (new JwkSet(publicKeys), new JwkSet(symmetricKeys), symmetricKeys[0], proofSigning ?? throw new InvalidOperationException("fuzz-keys.json has no P-256 key"));
    }
}
