using System.Security.Cryptography;
using System.Text.Json;
using NSec.Cryptography;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.TestData;

/// <summary>
/// One key of each kind, generated once per test run (RSA generation is slow) and shared by every
/// test. The JWKs carry no <c>alg</c>, so one key serves every algorithm of its family; the
/// platform objects are exposed for interop tests and for signing tokens by hand.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<RSAParameters> RsaMaterial = new(() =>
    {
        using RSA rsa = RSA.Create(2048);
        return rsa.ExportParameters(includePrivateParameters: true);
    });

    private static readonly Lazy<Jwk> RsaJwk = new(() => Jwk.Parse(RsaJson(RsaMaterial.Value, "rsa-test", includePrivate: true)));
    private static readonly Lazy<Jwk> RsaPublicJwk = new(() => Jwk.Parse(RsaJson(RsaMaterial.Value, "rsa-test", includePrivate: false)));

    private static readonly Dictionary<string, Lazy<ECParameters>> EcMaterial = new(StringComparer.Ordinal)
    {
        ["P-256"] = new(() => GenerateEc(ECCurve.NamedCurves.nistP256)),
        ["P-384"] = new(() => GenerateEc(ECCurve.NamedCurves.nistP384)),
        ["P-521"] = new(() => GenerateEc(ECCurve.NamedCurves.nistP521)),
    };

    private static readonly Lazy<(byte[] Seed, byte[] PublicKey)> Ed25519Material = new(() =>
    {
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var key = Key.Create(SignatureAlgorithm.Ed25519, creation);
        return (key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    });

    private static readonly Lazy<Jwk> Ed25519Jwk = new(() => Jwk.Parse(Json(new()
    {
        ["kty"] = "OKP", ["kid"] = "okp-test", ["crv"] = "Ed25519",
        ["x"] = B64.Url(Ed25519Raw.PublicKey), ["d"] = B64.Url(Ed25519Raw.Seed),
    })));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), Jwk> EcJwks = new();

    /// <summary>A 64-byte HMAC secret: long enough for HS256, HS384 and HS512.</summary>
    public static byte[] OctetSecret { get; } = RandomNumberGenerator.GetBytes(64);

    public static RSAParameters RsaParameters => RsaMaterial.Value;

    public static Jwk Rsa => RsaJwk.Value;

    public static Jwk RsaPublic => RsaPublicJwk.Value;

    public static Jwk Octet { get; } = OctetJwk.FromBytes(OctetSecret, keyId: "oct-test");

    public static (byte[] Seed, byte[] PublicKey) Ed25519Raw => Ed25519Material.Value;

    public static Jwk Ed25519 => Ed25519Jwk.Value;

    public static Jwk Ed25519Public => Ed25519.ToPublicJwk();

    public static ECParameters EcParameters(string curve) => EcMaterial[curve].Value;

    public static Jwk Ec(string curve, bool includePrivate = true) =>
        EcJwks.GetOrAdd((curve, includePrivate), static k => CreateEc(k.Item1, k.Item2));

    private static Jwk CreateEc(string curve, bool includePrivate)
    {
        ECParameters p = EcParameters(curve);
        var members = new Dictionary<string, string>
        {
            ["kty"] = "EC", ["kid"] = "ec-test-" + curve, ["crv"] = curve, ["x"] = B64.Url(p.Q.X), ["y"] = B64.Url(p.Q.Y),
        };
        if (includePrivate)
        {
            members["d"] = B64.Url(p.D);
        }

        return Jwk.Parse(Json(members));
    }

    /// <summary>Every algorithm Tessera implements.</summary>
    public static IReadOnlyList<string> Algorithms { get; } =
        ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

    /// <summary>The signing key for <paramref name="algorithm"/>.</summary>
    public static Jwk PrivateFor(string algorithm) => algorithm switch
    {
        "HS256" or "HS384" or "HS512" => Octet,
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => Rsa,
        "ES256" => Ec("P-256"),
        "ES384" => Ec("P-384"),
        "ES512" => Ec("P-521"),
        "EdDSA" or "Ed25519" => Ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an algorithm Tessera implements"),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Jwk> Strangers = new(StringComparer.Ordinal);

    /// <summary>
    /// The verification half of a second key of the same kind as <see cref="PrivateFor"/>'s, made
    /// once per family: it fits the algorithm but did not sign.
    /// </summary>
    public static Jwk StrangerFor(string algorithm) => Strangers.GetOrAdd(PrivateFor(algorithm).KeyType + "/" + PrivateFor(algorithm).Curve, _ =>
    {
        // A 64-byte secret, like Octet's, so the stranger fits HS384 and HS512 too.
        Jwk generated = Jwk.Generate(algorithm.StartsWith("HS", StringComparison.Ordinal) ? "HS512" : algorithm);
        var members = System.Text.Json.Nodes.JsonNode.Parse(generated.ToJson(includePrivate: true))!.AsObject();
        members.Remove("alg"); // serve every algorithm of the family, like the keys above
        Jwk stranger = Jwk.Parse(members.ToJsonString());
        return stranger.KeyType == JwkKeyType.Octet ? stranger : stranger.ToPublicJwk();
    });

    /// <summary>The verification key for <paramref name="algorithm"/>: the public half, or the secret for HMAC.</summary>
    public static Jwk PublicFor(string algorithm)
    {
        Jwk key = PrivateFor(algorithm);
        return key.KeyType == JwkKeyType.Octet ? key : key.ToPublicJwk();
    }

    /// <summary>An RSA JWK with minimal big-endian integers (RFC 7518 §6.3: no leading zero octets).</summary>
    public static string RsaJson(RSAParameters p, string? kid, bool includePrivate)
    {
        var members = new Dictionary<string, string> { ["kty"] = "RSA" };
        if (kid is not null)
        {
            members["kid"] = kid;
        }

        members["n"] = B64.Url(Minimal(p.Modulus!));
        members["e"] = B64.Url(Minimal(p.Exponent!));
        if (includePrivate)
        {
            members["d"] = B64.Url(Minimal(p.D!));
            members["p"] = B64.Url(Minimal(p.P!));
            members["q"] = B64.Url(Minimal(p.Q!));
            members["dp"] = B64.Url(Minimal(p.DP!));
            members["dq"] = B64.Url(Minimal(p.DQ!));
            members["qi"] = B64.Url(Minimal(p.InverseQ!));
        }

        return Json(members);
    }

    public static string Json(Dictionary<string, string> members) => JsonSerializer.Serialize(members);

    private static byte[] Minimal(byte[] value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static ECParameters GenerateEc(ECCurve curve)
    {
        using ECDsa ecdsa = ECDsa.Create(curve);
        return ecdsa.ExportParameters(includePrivateParameters: true);
    }
}
