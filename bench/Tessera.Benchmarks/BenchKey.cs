using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Encoding;
using Tessera.Jose.Keys;

namespace Tessera.Benchmarks;

/// <summary>
/// One key pair per algorithm, made once and handed to every library in its own form, so that
/// all contenders sign and verify with the same key material.
/// </summary>
public sealed class BenchKey : IDisposable
{
    private BenchKey(string algorithm, Jwk signing, Jwk verifying)
    {
        Algorithm = algorithm;
        TesseraSigning = signing;
        TesseraVerifying = verifying;
        KeyId = signing.KeyId!;
    }

    /// <summary>The algorithms benchmarked, in table order.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["HS256", "RS256", "ES256", "EdDSA"];

    public string Algorithm { get; }

    public string KeyId { get; }

    public Jwk TesseraSigning { get; }

    /// <summary>The public half (the secret itself for HS256).</summary>
    public Jwk TesseraVerifying { get; }

    /// <summary>HS256: the shared secret.</summary>
    public byte[]? Secret { get; private init; }

    /// <summary>RS256: private (signing) and public-only (verifying) instances.</summary>
    public RSA? RsaPrivate { get; private init; }

    public RSA? RsaPublic { get; private init; }

    /// <summary>ES256: private (signing) and public-only (verifying) instances.</summary>
    public ECDsa? EcPrivate { get; private init; }

    public ECDsa? EcPublic { get; private init; }

    public static BenchKey Create(string algorithm)
    {
        string keyId = "bench-" + algorithm.ToLowerInvariant();
        Jwk signing = algorithm == "HS256"
            ? OctetJwk.FromBytes(RandomNumberGenerator.GetBytes(32), keyId, algorithm)
            : Jwk.Generate(algorithm, keyId);
        Jwk verifying = signing.KeyType == JwkKeyType.Octet ? signing : signing.ToPublicJwk();

        using JsonDocument jwk = JsonDocument.Parse(signing.ToJson(includePrivate: true));
        JsonElement root = jwk.RootElement;
        return algorithm switch
        {
            "HS256" => new BenchKey(algorithm, signing, verifying) { Secret = Member(root, "k") },
            "RS256" => new BenchKey(algorithm, signing, verifying)
            {
                RsaPrivate = Rsa(root, includePrivate: true),
                RsaPublic = Rsa(root, includePrivate: false),
            },
            "ES256" => new BenchKey(algorithm, signing, verifying)
            {
                EcPrivate = Ec(root, includePrivate: true),
                EcPublic = Ec(root, includePrivate: false),
            },
            _ => new BenchKey(algorithm, signing, verifying),
        };
    }

    public void Dispose()
    {
        RsaPrivate?.Dispose();
        RsaPublic?.Dispose();
        EcPrivate?.Dispose();
        EcPublic?.Dispose();
    }

    private static RSA Rsa(JsonElement jwk, bool includePrivate)
    {
        var parameters = new RSAParameters { Modulus = Member(jwk, "n"), Exponent = Member(jwk, "e") };
        if (includePrivate)
        {
            parameters.D = Member(jwk, "d");
            parameters.P = Member(jwk, "p");
            parameters.Q = Member(jwk, "q");
            parameters.DP = Member(jwk, "dp");
            parameters.DQ = Member(jwk, "dq");
            parameters.InverseQ = Member(jwk, "qi");
        }

        var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return rsa;
    }

    private static ECDsa Ec(JsonElement jwk, bool includePrivate)
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Member(jwk, "x"), Y = Member(jwk, "y") },
            D = includePrivate ? Member(jwk, "d") : null,
        };
        return ECDsa.Create(parameters);
    }

    private static byte[] Member(JsonElement jwk, string name) =>
        StrictBase64Url.DecodeOrNull(jwk.GetProperty(name).GetString()) ?? throw new InvalidOperationException($"JWK member '{name}' is not base64url");
}
