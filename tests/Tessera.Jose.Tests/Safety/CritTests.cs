using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// RFC 7515 §4.1.11: <c>crit</c> names extensions the recipient must understand. An unknown one,
/// or a malformed <c>crit</c>, makes the JWS invalid.
/// </summary>
public class CritTests
{
    private static string Token(string header) => RawJws.Hmac(header, """{"exp":4102444800}""", TestKeys.OctetSecret);

    private static JwsVerifier Understanding(params string[] names) =>
        new(new JwsVerificationOptions { UnderstoodCriticalHeaders = names });

    [Fact]
    public void UnknownCritExtensionIsRefused()
    {
        string token = Token("""{"alg":"HS256","crit":["urn:example:ext"],"urn:example:ext":true}""");
        Assert.Equal(JoseErrorCodes.CritUnsupported, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.CritUnsupported, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
    }

    [Fact]
    public void CritExtensionTheApplicationUnderstandsIsAccepted()
    {
        string token = Token("""{"alg":"HS256","crit":["urn:example:ext"],"urn:example:ext":true}""");
        Assert.Null(Understanding("urn:example:ext").Verify(token, TestKeys.Octet).Error);
        Assert.Null(new JwtValidator(new JwtValidationPolicy { UnderstoodCriticalHeaders = ["urn:example:ext"] }).Validate(token, TestKeys.Octet).Error);
    }

    [Theory]
    [InlineData("""{"alg":"HS256","crit":[]}""")]
    [InlineData("""{"alg":"HS256","crit":"ext","ext":1}""")]
    [InlineData("""{"alg":"HS256","crit":{"ext":1},"ext":1}""")]
    [InlineData("""{"alg":"HS256","crit":null}""")]
    [InlineData("""{"alg":"HS256","crit":[1]}""")]
    [InlineData("""{"alg":"HS256","crit":["ext","ext"],"ext":1}""")]
    public void MalformedCritIsRefusedEvenWhenItsNamesAreUnderstood(string header)
    {
        Assert.Equal(JoseErrorCodes.CritUnsupported, Understanding("ext").Verify(Token(header), TestKeys.Octet).Error?.Code);
    }

    [Theory]
    [InlineData("alg")]
    [InlineData("kid")]
    [InlineData("typ")]
    [InlineData("crit")]
    [InlineData("jwk")]
    public void CritNamingARegisteredHeaderIsRefused(string registered)
    {
        string token = Token($$"""{"alg":"HS256","kid":"oct-test","typ":"JWT","jwk":{},"crit":["{{registered}}"]}""");
        Assert.Equal(JoseErrorCodes.CritUnsupported, Understanding(registered).Verify(token, TestKeys.Octet).Error?.Code);
    }

    [Fact]
    public void CritNamingAnAbsentMemberIsRefused()
    {
        string token = Token("""{"alg":"HS256","crit":["ext"]}""");
        Assert.Equal(JoseErrorCodes.CritUnsupported, Understanding("ext").Verify(token, TestKeys.Octet).Error?.Code);
    }

    [Fact]
    public void UnencodedPayloadExtensionIsRefused()
    {
        // RFC 7797 changes what is signed; Tessera does not implement it, even if told it understands b64.
        string token = Token("""{"alg":"HS256","b64":false,"crit":["b64"]}""");
        Assert.Equal(JoseErrorCodes.CritUnsupported, Understanding("b64").Verify(token, TestKeys.Octet).Error?.Code);
    }
}
