using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>The unsecured JWS (<c>alg: none</c>, RFC 7515 §A.5) is never accepted, however it is spelled.</summary>
public class AlgNoneTests
{
    private const string Payload = """{"sub":"mallory","exp":4102444800}""";

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    [InlineData("\\u006eone")]
    public void AlgNoneIsRejectedInAnyCasing(string alg)
    {
        string header = $$"""{"alg":"{{alg}}","kid":"oct-test"}""";
        string unsigned = RawJws.SigningInput(header, Payload) + ".";
        string macked = RawJws.HmacOverInput(RawJws.SigningInput(header, Payload), TestKeys.OctetSecret);

        foreach (string token in new[] { unsigned, macked })
        {
            Assert.False(new JwsVerifier().Verify(token, TestKeys.Octet).IsValid);
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
                new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = ["HS256"] }).Validate(token, TestKeys.Octet).Error?.Code);
        }
    }

    [Fact]
    public void AlgNoneWithAnEmptySignatureIsRejectedByEveryKeyType()
    {
        string token = RawJws.SigningInput("""{"alg":"none"}""", Payload) + ".";
        foreach (string alg in new[] { "HS256", "RS256", "ES256", "EdDSA" })
        {
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(token, TestKeys.PublicFor(alg)).Error?.Code);
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public void NoneCanNeverBeAddedToAnAllowList(string alg)
    {
        Assert.Throws<ArgumentException>(() => new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }));
        Assert.Throws<ArgumentException>(() => new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = ["HS256", alg] }));
    }

    [Fact]
    public void NoneCanNeverBeUsedToSign()
    {
        JoseException error = Assert.Throws<JoseException>(() =>
            JwsSigner.Sign("{}"u8, TestKeys.Octet, new JwsSigningOptions { Algorithm = "none" }));
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, error.Code);
    }
}
