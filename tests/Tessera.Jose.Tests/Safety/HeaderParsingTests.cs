using Tessera.Jose.Jws;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>Header members are read as JSON means them, exactly and case-sensitively (RFC 7515 §4.1).</summary>
public class HeaderParsingTests
{
    private static JoseError? Verify(string header) =>
        new JwsVerifier().Verify(RawJws.Hmac(header, "{}", TestKeys.OctetSecret), TestKeys.Octet).Error;

    [Theory]
    [InlineData("""{"\u0061lg":"HS256"}""")]
    [InlineData("""{"alg":"\u0048S256"}""")]
    [InlineData("""{"alg":"HS256","kid":"oct\u002dtest"}""")]
    [InlineData("""{ "alg" : "HS256" ,"kid":"oct-test"}""")]
    public void EscapedOrSpacedMembersMeanWhatTheySpell(string header) => Assert.Null(Verify(header));

    [Theory]
    [InlineData("""{"alg":"hs256"}""")]
    [InlineData("""{"alg":"HS-256"}""")]
    [InlineData("""{"alg":"HS256 "}""")]
    [InlineData("""{"alg":""}""")]
    [InlineData("""{"alg":"A256GCM"}""")]
    [InlineData("""{"alg":"HS256HS256HS256HS256HS256"}""")]
    public void AlgorithmNamesAreExactAndUnknownOnesUnsupported(string header) =>
        Assert.Equal(JoseErrorCodes.AlgorithmUnsupported, Verify(header)?.Code);

    [Theory]
    [InlineData("""{"ALG":"HS256"}""")]
    [InlineData("""{"alg":null}""")]
    [InlineData("""{"alg":["HS256"]}""")]
    [InlineData("""{"alg":"HS256","kid":7}""")]
    [InlineData("""{"alg":"HS256","typ":true}""")]
    [InlineData("""{"alg":"HS256","cty":{}}""")]
    public void RegisteredMembersOfTheWrongTypeAreMalformed(string header) =>
        Assert.Equal(JoseErrorCodes.Malformed, Verify(header)?.Code);

    [Fact]
    public void OverlongKidIsMalformed() =>
        Assert.Equal(JoseErrorCodes.Malformed, Verify($$"""{"alg":"HS256","kid":"{{new string('k', 513)}}"}""")?.Code);

    [Fact]
    public void UnknownMembersAreIgnored() =>
        Assert.Null(Verify("""{"alg":"HS256","kid":"oct-test","urn:example":{"deep":[1,{"a":null}]},"x5t":"abc"}"""));
}
