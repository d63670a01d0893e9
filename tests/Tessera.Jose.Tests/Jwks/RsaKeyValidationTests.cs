using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;
using Tessera.Jose.Tests.Wycheproof;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>RSA keys: at least 2048 bits (RFC 7518 §3.3), a sane exponent, no ROCA fingerprint, consistent private parts.</summary>
public class RsaKeyValidationTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1536)]
    [InlineData(2040)]
    public void RsaKeysShorterThan2048BitsAreRefused(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        RSAParameters p = rsa.ExportParameters(includePrivateParameters: true);
        foreach (bool includePrivate in new[] { false, true })
        {
            Assert.False(Jwk.TryParse(TestKeys.RsaJson(p, "short", includePrivate), out _, out JoseError? error));
            Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Jwk.Generate("RS256", rsaKeySizeBits: bits));
    }

    [Fact]
    public void RsaModulusOf2047BitsIsRefusedThoughItFillsTwoHundredFiftySixBytes()
    {
        // The size is the modulus' bit length, not its byte count times eight.
        byte[] n = RandomNumberGenerator.GetBytes(256);
        n[0] = (byte)((n[0] & 0x3F) | 0x40);
        n[^1] |= 1;
        Assert.Equal(2047, new BigInteger(n, isUnsigned: true, isBigEndian: true).GetBitLength());

        Assert.False(Jwk.TryParse($$"""{"kty":"RSA","n":"{{B64.Url(n)}}","e":"AQAB"}""", out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void RsaModulusOfExactly2048BitsIsAccepted()
    {
        byte[] n = RandomNumberGenerator.GetBytes(256);
        n[0] |= 0x80;
        n[^1] |= 1;
        Assert.True(Jwk.TryParse($$"""{"kty":"RSA","n":"{{B64.Url(n)}}","e":"AQAB"}""", out _, out _));
    }

    [Theory]
    [InlineData("AQ")] // 1
    [InlineData("Ag")] // 2
    [InlineData("AQAA")] // 65536, even
    [InlineData("AQEBAQEBAQEB")] // nine bytes
    public void RsaPublicExponentsThatAreTooSmallEvenOrHugeAreRefused(string e)
    {
        string json = JsonNode.Parse(TestKeys.RsaPublic.ToJson())!.AsObject().Also(o => o["e"] = e).ToJsonString();
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void RocaFingerprintIsDetectedAndTheKeyRefused()
    {
        WycheproofCase roca = WycheproofFiles.Cases(WycheproofFiles.Crypto).First(c => c.Comment == "rejectsKeyWithRocaVulnerability");
        byte[] rocaModulus = B64.Decode(roca.Key.GetProperty("n").GetString()!);

        Assert.True(RocaFingerprint.Matches(rocaModulus));

        // Moduli from sound generators do not match: ours, and the RFC examples.
        Assert.False(RocaFingerprint.Matches(TestKeys.RsaParameters.Modulus!));
        foreach (string id in new[] { "rfc7515-A.2", "rfc7520-4.1" })
        {
            Assert.False(RocaFingerprint.Matches(B64.Decode(Vectors.JoseVectors.ById("vectors", id).GetProperty("jwk").GetProperty("n").GetString()!)));
        }
        Assert.False(Jwk.TryParse(roca.Key.GetRawText(), out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void RsaPrivateKeyWithInconsistentPartsIsRefused()
    {
        JsonObject members = JsonNode.Parse(TestKeys.Rsa.ToJson(includePrivate: true))!.AsObject();
        string dp = members["dp"]!.GetValue<string>();
        members["dp"] = members["dq"]!.GetValue<string>();
        members["dq"] = dp;
        Assert.False(Jwk.TryParse(members.ToJsonString(), out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Theory]
    [InlineData("p")]
    [InlineData("qi")]
    public void RsaPrivateKeyMissingItsCrtPartsIsRefused(string member)
    {
        JsonObject members = JsonNode.Parse(TestKeys.Rsa.ToJson(includePrivate: true))!.AsObject();
        members.Remove(member);
        Assert.False(Jwk.TryParse(members.ToJsonString(), out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void MultiPrimeRsaKeysAreRefused()
    {
        string json = TestKeys.Rsa.ToJson(includePrivate: true).Replace("{", """{"oth":[],""", StringComparison.Ordinal);
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void RsaPrivateMembersAreExportedInTheirMinimalForm()
    {
        // RFC 7518 §2 (Base64urlUInt): no leading zero octets. An exponent is chosen so that some
        // private value is short, which is what a platform left-padding it would get wrong.
        string json = ShortPrivateValueKey();
        Jwk key = Jwk.Parse(json);
        JsonObject published = JsonNode.Parse(json)!.AsObject();
        JsonObject exported = JsonNode.Parse(key.ToJson(includePrivate: true))!.AsObject();

        foreach (string member in new[] { "n", "e", "d", "p", "q", "dp", "dq", "qi" })
        {
            Assert.Equal(published[member]!.GetValue<string>(), exported[member]!.GetValue<string>());
        }

        Assert.Null(new JwsVerifier().Verify(JwsSigner.Sign("{}"u8, key, new JwsSigningOptions { Algorithm = "RS256" }), key.ToPublicJwk()).Error);
    }

    /// <summary>The test RSA primes with the first public exponent that makes d, dp or dq need fewer octets than usual.</summary>
    private static string ShortPrivateValueKey()
    {
        RSAParameters source = TestKeys.RsaParameters;
        BigInteger p = Unsigned(source.P!), q = Unsigned(source.Q!), n = p * q, phi = (p - 1) * (q - 1);
        int modulusBytes = source.Modulus!.Length, half = source.P!.Length;
        for (BigInteger e = 65537; e < 65537 + 200_000; e += 2)
        {
            if (BigInteger.GreatestCommonDivisor(e, phi) != 1)
            {
                continue;
            }

            BigInteger d = ModInverse(e, phi), dp = d % (p - 1), dq = d % (q - 1);
            if (ByteLength(d) < modulusBytes || ByteLength(dp) < half || ByteLength(dq) < half)
            {
                return TestKeys.Json(new()
                {
                    ["kty"] = "RSA", ["n"] = Url(n), ["e"] = Url(e), ["d"] = Url(d), ["p"] = Url(p), ["q"] = Url(q),
                    ["dp"] = Url(dp), ["dq"] = Url(dq), ["qi"] = Url(ModInverse(q, p)),
                });
            }
        }

        throw new InvalidOperationException("no exponent in range gave a short private value");
    }

    private static BigInteger Unsigned(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static string Url(BigInteger value) => B64.Url(value.ToByteArray(isUnsigned: true, isBigEndian: true));

    private static int ByteLength(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true).Length;

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        (BigInteger oldR, BigInteger r) = (a % m, m);
        (BigInteger oldS, BigInteger s) = (1, 0);
        while (r != 0)
        {
            BigInteger quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        return ((oldS % m) + m) % m;
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
