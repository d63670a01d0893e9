using System.Security.Cryptography;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// The key decides the algorithm family and the allow-list decides the algorithm: the classic
/// confusion (an RSA public key's bytes used as an HMAC secret) cannot forge a token.
/// </summary>
public class AlgorithmConfusionTests
{
    private const string Payload = """{"sub":"admin","exp":4102444800}""";

    public static TheoryData<string> PublicKeyEncodings => new() { "pem", "jwk", "jwk-set", "spki-der-base64" };

    [Theory]
    [MemberData(nameof(PublicKeyEncodings))]
    public void RsaPublicKeyBytesUsedAsAnHmacSecretCannotForgeAToken(string encoding)
    {
        Jwk rsaPublic = TestKeys.RsaPublic;
        byte[] secret = System.Text.Encoding.UTF8.GetBytes(PublicKeyText(encoding));
        string forged = RawJws.Hmac($$"""{"alg":"HS256","kid":"{{rsaPublic.KeyId}}"}""", Payload, secret);

        // Whatever the verifier allows, an RSA key never becomes an HMAC secret.
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(forged, rsaPublic).Error?.Code);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
            new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["RS256", "HS256"] }).Verify(forged, rsaPublic).Error?.Code);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
            new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = ["RS256", "HS256"] }).Validate(forged, rsaPublic).Error?.Code);
    }

    [Fact]
    public void EcPublicKeyBytesUsedAsAnHmacSecretCannotForgeAToken()
    {
        Jwk ecPublic = TestKeys.Ec("P-256", includePrivate: false);
        string forged = RawJws.Hmac($$"""{"alg":"HS256","kid":"{{ecPublic.KeyId}}"}""", Payload, System.Text.Encoding.UTF8.GetBytes(ecPublic.ToJson()));
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(forged, ecPublic).Error?.Code);
    }

    [Fact]
    public void AnRsaKeyOnlyVerifiesTheAlgorithmsTheAllowListNames()
    {
        string rs256 = JwsSigner.Sign("{}"u8, TestKeys.Rsa, new JwsSigningOptions { Algorithm = "RS256" });
        string ps256 = JwsSigner.Sign("{}"u8, TestKeys.Rsa, new JwsSigningOptions { Algorithm = "PS256" });
        var onlyPss = new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["PS256"] });

        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, onlyPss.Verify(rs256, TestKeys.RsaPublic).Error?.Code);
        Assert.Null(onlyPss.Verify(ps256, TestKeys.RsaPublic).Error);
    }

    [Fact]
    public void AKeysDeclaredAlgIsTheOnlyOneItVerifies()
    {
        Jwk rs256Only = Jwk.Parse(TestKeys.RsaPublic.ToJson().Replace("{", """{"alg":"RS256",""", StringComparison.Ordinal));
        string ps256 = JwsSigner.Sign("{}"u8, TestKeys.Rsa, new JwsSigningOptions { Algorithm = "PS256" });
        string rs256 = JwsSigner.Sign("{}"u8, TestKeys.Rsa, new JwsSigningOptions { Algorithm = "RS256" });

        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(ps256, rs256Only).Error?.Code);
        Assert.Null(new JwsVerifier().Verify(rs256, rs256Only).Error);
    }

    [Fact]
    public void AnEcKeyOnlyVerifiesTheAlgorithmOfItsCurve()
    {
        // Signed with P-256 but labelled ES384: the P-256 key refuses before any arithmetic.
        string input = RawJws.SigningInput("""{"alg":"ES384"}""", Payload);
        byte[] signature = RawJws.EcdsaSignature(input, TestKeys.EcParameters("P-256"), HashAlgorithmName.SHA384);
        string token = input + "." + B64.Url(signature);

        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(token, TestKeys.Ec("P-256", includePrivate: false)).Error?.Code);
    }

    private static string PublicKeyText(string encoding)
    {
        using RSA rsa = RSA.Create(TestKeys.RsaParameters);
        return encoding switch
        {
            "pem" => rsa.ExportSubjectPublicKeyInfoPem(),
            "jwk" => TestKeys.RsaPublic.ToJson(),
            "jwk-set" => JwkSet.Of(TestKeys.RsaPublic).ToJson(),
            _ => Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
        };
    }
}
