using System.Text.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Signing;

/// <summary>The signer writes the headers it is asked for, and never produces a token a verifier must refuse.</summary>
public class JwsSignerTests
{
    [Fact]
    public void SignerWritesTheAlgorithmKidAndTypeAskedFor()
    {
        string token = JwsSigner.Sign("{}"u8, TestKeys.Rsa, new JwsSigningOptions { Algorithm = "PS512", Type = "at+jwt" });
        using JsonDocument header = JsonDocument.Parse(B64.Decode(token.Split('.')[0]));

        Assert.Equal("PS512", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("rsa-test", header.RootElement.GetProperty("kid").GetString());
        Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("PS512", new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["PS512"] }).Verify(token, TestKeys.RsaPublic).Algorithm!.Name);
    }

    [Fact]
    public void SignerOmitsTheKidWhenAsked()
    {
        string token = JwsSigner.Sign("{}"u8, TestKeys.Octet, new JwsSigningOptions { IncludeKeyId = false });
        using JsonDocument header = JsonDocument.Parse(B64.Decode(token.Split('.')[0]));
        Assert.False(header.RootElement.TryGetProperty("kid", out _));
    }

    [Theory]
    [InlineData("RS256", "HS256", JoseErrorCodes.AlgorithmNotAllowed)]
    [InlineData("ES256", "ES384", JoseErrorCodes.AlgorithmNotAllowed)]
    [InlineData("HS256", "XS256", JoseErrorCodes.AlgorithmUnsupported)]
    [InlineData("HS256", "hs256", JoseErrorCodes.AlgorithmUnsupported)]
    public void SignerRefusesAnAlgorithmTheKeyCannotDo(string keyFor, string alg, string code)
    {
        JoseException error = Assert.Throws<JoseException>(() => JwsSigner.Sign("{}"u8, TestKeys.PrivateFor(keyFor), new JwsSigningOptions { Algorithm = alg }));
        Assert.Equal(code, error.Code);
    }

    public static TheoryData<string, string> HeadersNoVerifierAccepts => new()
    {
        { """{"alg":"HS256","\u0061lg":"HS256"}""", JoseErrorCodes.Malformed },
        { """{"alg":"HS256","x":{"a":1,"a":2}}""", JoseErrorCodes.Malformed },
        { """{"alg":"HS256","x":{"a":1,"\u0061":2}}""", JoseErrorCodes.Malformed },
        { """{"alg":"HS256","x":""" + new string('[', 40) + new string(']', 40) + "}", JoseErrorCodes.TooLarge },
        { """{"alg":"HS256","crit":[]}""", JoseErrorCodes.CritUnsupported },
        { """{"alg":"HS256","crit":["ext"]}""", JoseErrorCodes.CritUnsupported },
        { """{"alg":"HS256","crit":["kid"],"kid":"k"}""", JoseErrorCodes.CritUnsupported },
        { """{"alg":"HS256","b64":false}""", JoseErrorCodes.CritUnsupported },
        { """{"alg":"none"}""", JoseErrorCodes.AlgorithmNotAllowed },
        { """{"kid":"k"}""", JoseErrorCodes.Malformed },
        { """[]""", JoseErrorCodes.Malformed },
    };

    [Theory]
    [MemberData(nameof(HeadersNoVerifierAccepts))]
    public void SignWithHeaderRefusesAHeaderNoVerifierWouldAccept(string header, string code)
    {
        JoseException error = Assert.Throws<JoseException>(() =>
            JwsSigner.SignWithHeader(System.Text.Encoding.UTF8.GetBytes(header), "{}"u8, TestKeys.Octet));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void SignWithHeaderKeepsACriticalExtensionTheCallerDefines()
    {
        // The signer cannot know which extensions the recipient understands; a well-formed crit is signed as is.
        byte[] header = """{"alg":"HS256","crit":["urn:example:ext"],"urn:example:ext":{"v":1}}"""u8.ToArray();
        string token = JwsSigner.SignWithHeader(header, "{}"u8, TestKeys.Octet);

        Assert.Equal(B64.Url(header), token.Split('.')[0]);
        Assert.Null(new JwsVerifier(new JwsVerificationOptions { UnderstoodCriticalHeaders = ["urn:example:ext"] }).Verify(token, TestKeys.Octet).Error);
    }

    [Fact]
    public void SignWithHeaderRefusesAKeyThatCannotDoTheHeadersAlgorithm()
    {
        JoseException error = Assert.Throws<JoseException>(() => JwsSigner.SignWithHeader("""{"alg":"RS256"}"""u8, "{}"u8, TestKeys.Octet));
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, error.Code);
        Jwk publicOnly = TestKeys.RsaPublic;
        Assert.Equal(JoseErrorCodes.KeyInvalid, Assert.Throws<JoseException>(() => JwsSigner.SignWithHeader("""{"alg":"RS256"}"""u8, "{}"u8, publicOnly)).Code);
    }
}
