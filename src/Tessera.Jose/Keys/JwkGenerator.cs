using System.Security.Cryptography;
using Tessera.Jose.Algorithms;

namespace Tessera.Jose.Keys;

/// <summary>Creates new private keys for an algorithm, with the system's CSPRNG.</summary>
internal static class JwkGenerator
{
    public static Jwk Generate(string algorithmName, string? keyId, int rsaKeySizeBits)
    {
        ArgumentNullException.ThrowIfNull(algorithmName);
        if (!JwsAlgorithms.TryGet(algorithmName, out JwsAlgorithm? algorithm))
        {
            throw new ArgumentException($"'{algorithmName}' is not a supported JWS algorithm.", nameof(algorithmName));
        }

        Jwk draft = algorithm.KeyType switch
        {
            JwkKeyType.Octet => new OctetJwk(RandomNumberGenerator.GetBytes(algorithm.HashSize), Meta(keyId, algorithm)),
            JwkKeyType.Rsa => GenerateRsa(algorithm, keyId, rsaKeySizeBits),
            JwkKeyType.EllipticCurve => EcJwk.FromGenerated(ECDsa.Create(EcJwk.NamedCurve(algorithm)), algorithm, Meta(keyId, algorithm)),
            _ => OkpJwk.Generate(Meta(keyId, algorithm)),
        };

        // The default kid is the RFC 7638 thumbprint, which the draft key can compute.
        return keyId is not null ? draft : WithKeyId(draft, draft.Thumbprint);
    }

    private static JwkMetadata Meta(string? keyId, JwsAlgorithm algorithm) => new(keyId, algorithm.Name, "sig", null);

    private static Jwk GenerateRsa(JwsAlgorithm algorithm, string? keyId, int bits)
    {
        if (bits < RsaJwk.MinimumKeySizeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"RSA keys must have at least {RsaJwk.MinimumKeySizeBits} bits.");
        }

        using RSA rsa = RSA.Create(bits);
        RSAParameters parameters = rsa.ExportParameters(includePrivateParameters: true);
        return RsaJwk.TryCreate(parameters, Meta(keyId, algorithm), out Jwk? key, out JoseError? error)
            ? key!
            : throw new CryptographicException(error!.Message);
    }

    private static Jwk WithKeyId(Jwk key, string keyId)
    {
        // Round-trip through the JWK form: the one way every key type already knows to rebuild itself.
        string json = key.ToJson(includePrivate: true);
        string withKid = "{\"kid\":" + System.Text.Json.JsonSerializer.Serialize(keyId) + "," + json[1..];
        return Jwk.Parse(withKid);
    }
}
