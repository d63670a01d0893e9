using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>A compact JWS has exactly three parts (RFC 7515 §7.1); anything else is malformed.</summary>
public class TokenShapeTests
{
    private static readonly string Valid = RawJws.Hmac("""{"alg":"HS256"}""", """{"exp":4102444800}""", TestKeys.OctetSecret);

    [Fact]
    public void JweWithFivePartsIsRefusedAsMalformed()
    {
        string jwe = B64.Url("""{"alg":"dir","enc":"A128GCM"}""") + "..AAAAAAAAAAAAAAAA.c2VjcmV0.AAAAAAAAAAAAAAAAAAAAAA";
        string jwsInFiveParts = Valid + ".AAAA.AAAA";
        foreach (string token in new[] { jwe, jwsInFiveParts })
        {
            AssertMalformed(token);
        }
    }

    [Fact]
    public void FourPartTokenIsRefusedAsMalformed()
    {
        AssertMalformed(Valid + ".AAAA");
        AssertMalformed(Valid + ".");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30")]
    public void TokensWithTooFewPartsAreRefusedAsMalformed(string token) => AssertMalformed(token);

    [Fact]
    public void ValidThreePartTokenIsAccepted() =>
        Assert.Null(new JwtValidator(new JwtValidationPolicy()).Validate(Valid, TestKeys.Octet).Error);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"alg\"")]
    [InlineData("null")]
    [InlineData("{\"alg\":\"HS256\"} {}")]
    [InlineData("{\"alg\":\"HS256\",}")]
    [InlineData("{\"alg\":\"HS256\"/*c*/}")]
    [InlineData("{\"alg\":HS256}")]
    [InlineData("{\"alg\":256}")]
    [InlineData("{\"kid\":\"a\"}")]
    public void HeaderThatIsNotAJsonObjectWithAnAlgStringIsRefusedAsMalformed(string header)
    {
        string token = RawJws.Hmac(header, """{"exp":4102444800}""", TestKeys.OctetSecret);
        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
    }

    [Theory]
    [InlineData("{\"alg\":\"HS256\"")]
    [InlineData("{\"alg\":\"HS256\",")]
    [InlineData("{\"alg\":\"HS256\",\"x\":[")]
    [InlineData("{\"alg\":\"HS256\",\"x\":{\"y\":[1,{")]
    public void TruncatedHeaderIsMalformedNotTooLarge(string header)
    {
        string token = RawJws.Hmac(header, """{"exp":4102444800}""", TestKeys.OctetSecret);
        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
    }

    [Theory]
    [InlineData("{\"exp\":4102444800")]
    [InlineData("{\"exp\":4102444800,\"x\":[")]
    [InlineData("{\"exp\":4102444800,\"x\":{\"y\":[1,{")]
    public void TruncatedClaimsAreMalformedNotTooLarge(string payload)
    {
        string token = RawJws.Hmac("""{"alg":"HS256"}""", payload, TestKeys.OctetSecret);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void HeaderThatIsNotUtf8IsRefusedAsMalformed(byte[] invalidUtf8)
    {
        foreach (string template in new[] { "{\"alg\":\"HS256\",\"x\":\"#\"}", "{\"alg\":\"HS256\",\"#\":1}" })
        {
            string[] halves = template.Split('#');
            byte[] header = [.. System.Text.Encoding.ASCII.GetBytes(halves[0]), .. invalidUtf8, .. System.Text.Encoding.ASCII.GetBytes(halves[1])];
            string token = RawJws.Hmac(header, System.Text.Encoding.ASCII.GetBytes("""{"exp":4102444800}"""), TestKeys.OctetSecret);
            Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
            Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error));
            Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void ClaimsThatAreNotUtf8AreRefusedAsMalformed(byte[] invalidUtf8)
    {
        foreach (string template in new[] { "{\"exp\":4102444800,\"sub\":\"#\"}", "{\"exp\":4102444800,\"x\":\"#\"}", "{\"exp\":4102444800,\"#\":1}" })
        {
            string[] halves = template.Split('#');
            byte[] payload = [.. System.Text.Encoding.ASCII.GetBytes(halves[0]), .. invalidUtf8, .. System.Text.Encoding.ASCII.GetBytes(halves[1])];
            string token = RawJws.Hmac(System.Text.Encoding.ASCII.GetBytes("""{"alg":"HS256"}"""), payload, TestKeys.OctetSecret);
            Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
            Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error));
            Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
        }
    }

    private static void AssertMalformed(string token)
    {
        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
    }
}
