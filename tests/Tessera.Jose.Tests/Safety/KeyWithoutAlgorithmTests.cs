using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// RFC 8725 §3.1 (and §2.1): a key is used with one algorithm. An RSA or oct key whose JWK names
/// no <c>alg</c> fits six (RS*/PS*) or three (HS*) algorithms; the token's header must not be the
/// one to choose among them. Such a key verifies one algorithm: the one of its type the verifier's
/// allow-list names when it names exactly one, else RS256 (HS256 for oct).
/// </summary>
public class KeyWithoutAlgorithmTests
{
    private static readonly byte[] Payload = System.Text.Encoding.UTF8.GetBytes("""{"sub":"u","exp":4102444800}""");

    /// <summary>What <c>TesseraBearerDefaults.AllowedAlgorithms</c> and private_key_jwt name: every asymmetric algorithm.</summary>
    private static readonly string[] EveryAsymmetric = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

    public static TheoryData<string> OtherRsaAlgorithms => new() { "RS384", "RS512", "PS256", "PS384", "PS512" };

    [Theory]
    [MemberData(nameof(OtherRsaAlgorithms))]
    public void RsaKeyWithoutAlgVerifiesOnlyRs256WhenTheVerifierNamesNoAlgorithm(string algorithm)
    {
        Assert.Null(TestKeys.RsaPublic.Algorithm);
        string token = Sign(TestKeys.Rsa, algorithm);

        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(token, TestKeys.RsaPublic).Error?.Code);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.RsaPublic).Error?.Code);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwtValidator(new JwtValidationPolicy()).Validate(token, JwkSet.Of(TestKeys.RsaPublic)).Error?.Code);
        Assert.True(new JwsVerifier().Verify(Sign(TestKeys.Rsa, "RS256"), TestKeys.RsaPublic).IsValid);
    }

    [Theory]
    [MemberData(nameof(OtherRsaAlgorithms))]
    public void RsaKeyWithoutAlgVerifiesOnlyRs256WhenTheAllowListNamesSeveralRsaAlgorithms(string algorithm)
    {
        var validator = new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = EveryAsymmetric });
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, validator.Validate(Sign(TestKeys.Rsa, algorithm), JwkSet.Of(TestKeys.RsaPublic)).Error?.Code);
        Assert.True(validator.Validate(Sign(TestKeys.Rsa, "RS256"), JwkSet.Of(TestKeys.RsaPublic)).IsValid);
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS512")]
    public void RsaKeyWithoutAlgVerifiesTheOneRsaAlgorithmTheAllowListNames(string algorithm)
    {
        var validator = new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = [algorithm, "ES256", "EdDSA"] });
        Assert.True(validator.Validate(Sign(TestKeys.Rsa, algorithm), TestKeys.RsaPublic).IsValid);
        Assert.False(validator.Validate(Sign(TestKeys.Rsa, "RS256"), TestKeys.RsaPublic).IsValid);
    }

    [Theory]
    [InlineData("PS384")]
    [InlineData("RS512")]
    public void RsaKeyDeclaringAlgVerifiesThatAlgorithmWhateverTheAllowListNames(string algorithm)
    {
        Jwk declared = WithAlg(TestKeys.RsaPublic, algorithm);
        Assert.True(new JwsVerifier().Verify(Sign(TestKeys.Rsa, algorithm), declared).IsValid);
        Assert.True(new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = EveryAsymmetric }).Validate(Sign(TestKeys.Rsa, algorithm), declared).IsValid);
    }

    [Fact]
    public void OctKeyWithoutAlgVerifiesOnlyHs256UnlessTheAllowListNamesOneHmacAlgorithm()
    {
        Assert.Null(TestKeys.Octet.Algorithm);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(Sign(TestKeys.Octet, "HS512"), TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
            new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["HS256", "HS384", "HS512"] }).Verify(Sign(TestKeys.Octet, "HS384"), TestKeys.Octet).Error?.Code);
        Assert.True(new JwsVerifier().Verify(Sign(TestKeys.Octet, "HS256"), TestKeys.Octet).IsValid);
        Assert.True(new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["HS512"] }).Verify(Sign(TestKeys.Octet, "HS512"), TestKeys.Octet).IsValid);
    }

    [Fact]
    public void EcAndOkpKeysWithoutAlgKeepTheirOneAlgorithm()
    {
        Jwk ec = TestKeys.Ec("P-384", includePrivate: false);
        Assert.Null(ec.Algorithm);
        Assert.True(new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = EveryAsymmetric }).Verify(Sign(TestKeys.Ec("P-384"), "ES384"), ec).IsValid);
        Assert.True(new JwsVerifier().Verify(Sign(TestKeys.Ed25519, "EdDSA"), TestKeys.Ed25519Public).IsValid);
    }

    private static string Sign(Jwk key, string algorithm) => JwsSigner.Sign(Payload, key, new JwsSigningOptions { Algorithm = algorithm });

    private static Jwk WithAlg(Jwk key, string algorithm) =>
        Jwk.Parse(key.ToJson().Replace("{", $$"""{"alg":"{{algorithm}}",""", StringComparison.Ordinal));
}
