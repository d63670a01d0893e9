using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.</summary>
public class HmacKeyLengthTests
{
    public static TheoryData<string, int> HashSizes => new() { { "HS256", 32 }, { "HS384", 48 }, { "HS512", 64 } };

    [Theory]
    [MemberData(nameof(HashSizes))]
    public void HmacKeysShorterThanTheHashAreRefused(string alg, int hashSize)
    {
        byte[] shortSecret = TestKeys.OctetSecret[..(hashSize - 1)];
        Jwk shortKey = OctetJwk.FromBytes(shortSecret);
        string token = RawJws.Hmac($$"""{"alg":"{{alg}}"}""", "{}", shortSecret, alg);

        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(token, shortKey).Error?.Code);
        JoseException signing = Assert.Throws<JoseException>(() => JwsSigner.Sign("{}"u8, shortKey, new JwsSigningOptions { Algorithm = alg }));
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, signing.Code);
    }

    [Theory]
    [MemberData(nameof(HashSizes))]
    public void HmacKeysExactlyAsLongAsTheHashAreAccepted(string alg, int hashSize)
    {
        byte[] secret = TestKeys.OctetSecret[..hashSize];
        string token = RawJws.Hmac($$"""{"alg":"{{alg}}"}""", "{}", secret, alg);
        Assert.Null(new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(token, OctetJwk.FromBytes(secret)).Error);
    }

    [Theory]
    [MemberData(nameof(HashSizes))]
    public void AKeyTooShortForItsDeclaredAlgIsRefusedOnImport(string alg, int hashSize)
    {
        string json = $$"""{"kty":"oct","alg":"{{alg}}","k":"{{B64.Url(TestKeys.OctetSecret[..(hashSize - 1)])}}"}""";
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void AnEmptyHmacKeyIsRefusedOnImport()
    {
        Assert.False(Jwk.TryParse("""{"kty":"oct","k":""}""", out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }
}
