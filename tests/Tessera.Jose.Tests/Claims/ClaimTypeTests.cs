using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary>A registered claim of the wrong JSON type is malformed, and the error names the claim.</summary>
public class ClaimTypeTests
{
    private readonly ClaimsHarness _harness = new();

    [Theory]
    [InlineData("exp", "\"4102444800\"")]
    [InlineData("exp", "true")]
    [InlineData("exp", "null")]
    [InlineData("exp", "[4102444800]")]
    [InlineData("exp", "{\"t\":1}")]
    [InlineData("exp", "1e400")]
    [InlineData("exp", "-1e300")]
    [InlineData("exp", "253402300800")]
    [InlineData("nbf", "\"0\"")]
    [InlineData("iat", "false")]
    [InlineData("iat", "99999999999999999999999")]
    public void NumericDateOfTheWrongTypeOrRangeIsMalformedAndNamesTheClaim(string claim, string value)
    {
        string exp = claim == "exp" ? "" : $"\"exp\":{_harness.Now + 60},";
        JoseError? error = _harness.Error($$"""{{{exp}}"{{claim}}":{{value}}}""");
        Assert.Equal(JoseErrorCodes.Malformed, error?.Code);
        Assert.Equal(claim, error!.Claim);
    }

    [Theory]
    [InlineData("iss", "42")]
    [InlineData("sub", "{\"id\":1}")]
    [InlineData("jti", "null")]
    [InlineData("aud", "42")]
    [InlineData("aud", "[\"api\",42]")]
    [InlineData("aud", "[[\"api\"]]")]
    public void StringClaimsOfTheWrongTypeAreMalformedAndNameTheClaim(string claim, string value)
    {
        JoseError? error = _harness.Error($$"""{"exp":{{_harness.Now + 60}},"{{claim}}":{{value}}}""");
        Assert.Equal(JoseErrorCodes.Malformed, error?.Code);
        Assert.Equal(claim, error!.Claim);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"claims\"")]
    [InlineData("42")]
    [InlineData("{\"exp\":1")]
    public void PayloadThatIsNotAJsonObjectIsMalformed(string payload) =>
        Assert.Equal(JoseErrorCodes.Malformed, _harness.Error(payload)?.Code);

    [Fact]
    public void UnregisteredClaimsOfAnyTypeAreAccepted()
    {
        JwtValidation result = _harness.Validate(ClaimsHarness.Token(
            $$"""{"exp":{{_harness.Now + 60}},"n":null,"b":true,"o":{"x":[1,"two"]},"roles":["a","b"],"scope":"read write"}"""));
        Assert.Null(result.Error);
        Assert.Equal(["a", "b"], result.Claims!.GetStrings("roles"));
        Assert.Equal(["read", "write"], result.Claims.GetStrings("scope", splitOnSpaces: true));
    }
}
