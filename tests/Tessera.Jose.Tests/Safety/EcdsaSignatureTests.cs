using System.Numerics;
using System.Security.Cryptography;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// An ECDSA JWS signature is R || S, each exactly the curve's coordinate size (RFC 7518 §3.4), with
/// 0 &lt; r, s &lt; n. Anything else is refused: zero or out-of-range halves, DER, and wrong lengths.
/// </summary>
public class EcdsaSignatureTests
{
    public static TheoryData<string, string, string> OutOfRange
    {
        get
        {
            var rows = new TheoryData<string, string, string>();
            foreach (string alg in new[] { "ES256", "ES384", "ES512" })
            {
                foreach (string value in new[] { "zero", "n", "n+1", "all-ones" })
                {
                    rows.Add(alg, "r", value);
                    rows.Add(alg, "s", value);
                }
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void EcdsaSignaturesWithROrSZeroOrAtLeastTheGroupOrderAreRefused(string alg, string half, string value)
    {
        (string input, byte[] signature, ECParameters key, int size) = Signed(alg);
        BigInteger order = new(Order(key), isUnsigned: true, isBigEndian: true);
        BigInteger replacement = value switch
        {
            "zero" => BigInteger.Zero,
            "n" => order,
            "n+1" => order + 1,
            _ => (BigInteger.One << (8 * size)) - 1,
        };

        byte[] forged = signature.ToArray();
        FixedWidth(replacement, size).CopyTo(forged, half == "r" ? 0 : size);

        Jwk verifier = TestKeys.PublicFor(alg);
        Assert.Null(new JwsVerifier().Verify(input + "." + B64.Url(signature), verifier).Error);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(input + "." + B64.Url(forged), verifier).Error?.Code);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void DerEncodedEcdsaSignaturesAreRefused(string alg)
    {
        (string input, _, ECParameters key, _) = Signed(alg);
        byte[] der = RawJws.EcdsaSignature(input, key, HashFor(alg), DSASignatureFormat.Rfc3279DerSequence);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(input + "." + B64.Url(der), TestKeys.PublicFor(alg)).Error?.Code);
    }

    [Theory]
    [InlineData("ES256", -1)]
    [InlineData("ES256", 1)]
    [InlineData("ES384", -1)]
    [InlineData("ES384", 1)]
    [InlineData("ES512", -1)]
    [InlineData("ES512", 1)]
    [InlineData("ES512", -2)]
    public void EcdsaSignaturesOfTheWrongLengthAreRefused(string alg, int delta)
    {
        (string input, byte[] signature, _, int size) = Signed(alg);

        // Shorter: drop leading bytes of r (a leading-zero-stripped form); longer: pad r with a zero.
        byte[] resized = delta < 0
            ? [.. signature[..size][(-delta)..], .. signature[size..]]
            : [.. new byte[delta], .. signature];
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(input + "." + B64.Url(resized), TestKeys.PublicFor(alg)).Error?.Code);
    }

    private static (string Input, byte[] Signature, ECParameters Key, int Size) Signed(string alg)
    {
        string curve = alg switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
        ECParameters key = TestKeys.EcParameters(curve);
        string input = RawJws.SigningInput($$"""{"alg":"{{alg}}"}""", """{"sub":"alice"}""");
        byte[] signature = RawJws.EcdsaSignature(input, key, HashFor(alg));
        return (input, signature, key, signature.Length / 2);
    }

    private static HashAlgorithmName HashFor(string alg) => alg switch
    {
        "ES256" => HashAlgorithmName.SHA256,
        "ES384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    /// <summary>The group order n, read from the platform's explicit curve parameters.</summary>
    private static byte[] Order(ECParameters key)
    {
        using ECDsa ecdsa = ECDsa.Create(key);
        return ecdsa.ExportExplicitParameters(includePrivateParameters: false).Curve.Order!;
    }

    private static byte[] FixedWidth(BigInteger value, int size)
    {
        byte[] bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return bytes.Length == size ? bytes : [.. new byte[size - bytes.Length], .. bytes];
    }
}
