using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// Repeated JSON member names are refused at any depth and in any spelling (RFC 7515 §5.2 allows
/// it; RFC 8725 §3.12 recommends it): two parsers that keep different duplicates disagree on what
/// was signed.
/// </summary>
public class DuplicateMemberTests
{
    /// <summary>The start of every payload: a valid exp, so that only the duplicate is wrong.</summary>
    private const string Exp = "{\"exp\":4102444800";

    public static TheoryData<string> DuplicateHeaders => new()
    {
        """{"alg":"HS256","alg":"HS256"}""",
        """{"alg":"HS256","kid":"oct-test","alg":"HS384"}""",
        """{"alg":"HS256","\u0061lg":"HS256"}""",
        """{"\u0061lg":"HS256","alg":"HS256"}""",
        """{"alg":"HS256","\u0061\u006c\u0067":"none"}""",
        """{"alg":"HS256","kid":"oct-test","\u006bid":"other"}""",
        """{"alg":"HS256","x":{"a":1,"a":2}}""",
        """{"alg":"HS256","x":{"a":1,"\u0061":2}}""",
        """{"alg":"HS256","x":[{"a":1},{"b":1,"b":2}]}""",
        """{"alg":"HS256","m0":0,"m1":1,"m2":2,"m3":3,"m4":4,"m5":5,"m6":6,"m7":7,"m8":8,"m9":9,"m10":10,"m11":11,"m12":12,"m13":13,"m14":14,"m15":15,"m16":16,"m17":17,"m3":3}""",
    };

    public static TheoryData<string> DuplicatePayloads => new()
    {
        Exp + ""","sub":"alice","sub":"admin"}""",
        Exp + ""","exp":4102444800}""",
        Exp + ""","\u0065xp":9999999999}""",
        Exp + ""","sub":"alice","\u0073ub":"admin"}""",
        Exp + ""","role":"user","\u0072ole":"admin"}""",
        Exp + ""","x":{"a":1,"a":2}}""",
        Exp + ""","x":{"a":1,"\u0061":2}}""",
        Exp + ""","x":[[{"a":1,"a":2}]]}""",
        Exp + ""","x":[1,"s",[2],null,{"a":1,"a":2}]}""",
        Exp + ""","x":[[],[[true]],[[{"a":1,"\u0061":2}]]]}""",

        // JwtClaims.Confirmation reads the first cnf it meets and trusts that there is no other:
        // unbound by one spelling and bound by another must never get that far.
        Exp + ""","cnf":null,"c\u006ef":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}""",
        Exp + ""","c\u006ef":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"},"cnf":null}""",
        Exp + ""","cnf":{"jkt":"a","j\u006bt":"b"}}""",
    };

    [Theory]
    [MemberData(nameof(DuplicateHeaders))]
    public void DuplicateMemberNamesInTheHeaderAreRefused(string header)
    {
        string token = RawJws.Hmac(header, Exp + "}", TestKeys.OctetSecret);
        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? decodeError));
        Assert.Equal(JoseErrorCodes.Malformed, decodeError!.Code);
    }

    [Theory]
    [MemberData(nameof(DuplicatePayloads))]
    public void DuplicateMemberNamesInTheClaimsAreRefused(string payload)
    {
        string token = RawJws.Hmac("""{"alg":"HS256"}""", payload, TestKeys.OctetSecret);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy { RequiredClaims = ["exp", "role"] }).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? decodeError));
        Assert.Equal(JoseErrorCodes.Malformed, decodeError!.Code);
    }

    [Fact]
    public void DistinctMembersThatOnlyLookAlikeAreAccepted()
    {
        // Control: case differs, or an escape spells a different name.
        string token = RawJws.Hmac("""{"alg":"HS256","Alg":"x","\u0061lgo":1}""", Exp + ""","Exp":1,"x":{"a":1,"A":2}}""", TestKeys.OctetSecret);
        Assert.Null(new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error);
    }
}
