using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// A payload whose only nested values are arrays of scalars (every Tessera access token carries
/// <c>"roles":[]</c>) is not parsed into a document while validating (#13: that parse, its copy, and
/// the document a verified-token cache then kept with the entry, were paid on every cache miss);
/// an object anywhere in the payload still is, so repeated names inside it are found
/// (<see cref="Safety.DuplicateMemberTests"/>). Either way the claims read the same.
/// </summary>
public class ScalarArrayClaimTests
{
    private const string Start = """{"exp":4102444800,"sub":"alice","roles":[]""";

    [Theory]
    [InlineData(""","amr":["pwd","otp"]}""")]
    [InlineData(""","x":[1,-2.5,true,false,null,"s\"q"],"y":[[],[["deep"]]]}""")]
    public void ArraysOfScalarsLeaveThePayloadUnparsed(string rest)
    {
        JwtClaims claims = Valid(Start + rest);

        claims.TryGetClaimIfParsed("roles", out _, out bool parsed);
        Assert.False(parsed);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, claims.Root.GetProperty("roles").ValueKind);
        Assert.Equal("alice", claims.Subject);
    }

    [Theory]
    [InlineData(""","x":{"a":1}}""")]
    [InlineData(""","x":[1,[{"a":1}]]}""")]
    public void AnObjectAnywhereIsStillParsedWhileValidating(string rest)
    {
        JwtClaims claims = Valid(Start + rest);

        Assert.True(claims.TryGetClaimIfParsed("x", out _, out bool parsed));
        Assert.True(parsed);
    }

    private static JwtClaims Valid(string payload)
    {
        string token = RawJws.Hmac("""{"alg":"HS256"}""", payload, TestKeys.OctetSecret);
        JwtValidation validation = new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet);
        Assert.Null(validation.Error);
        return validation.Claims!;
    }
}
