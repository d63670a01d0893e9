using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// <c>typ</c> is compared as RFC 7515 §4.1.9 says: case-insensitively, with the <c>application/</c>
/// prefix optional, so <c>at+jwt</c> (RFC 9068 §2.1) equals <c>application/AT+JWT</c>.
/// </summary>
public class TypeHeaderTests
{
    private readonly ClaimsHarness _harness = new();

    [Theory]
    [InlineData("at+jwt", "at+jwt")]
    [InlineData("at+jwt", "application/at+jwt")]
    [InlineData("at+jwt", "AT+JWT")]
    [InlineData("at+jwt", "Application/At+Jwt")]
    [InlineData("application/at+jwt", "at+jwt")]
    [InlineData("APPLICATION/AT+JWT", "application/at+jwt")]
    public void TypeMatchesCaseInsensitivelyWithOrWithoutTheApplicationPrefix(string required, string actual) =>
        Assert.Null(Validate(required, actual).Error);

    [Theory]
    [InlineData("at+jwt", "JWT")]
    [InlineData("at+jwt", "jwt")]
    [InlineData("at+jwt", "application/jwt")]
    [InlineData("at+jwt", "at+jwt ")]
    [InlineData("at+jwt", "text/at+jwt")]
    [InlineData("at+jwt", "application/application/at+jwt")]
    [InlineData("at+jwt", null)]
    public void OtherOrMissingTypeIsInvalid(string required, string? actual) =>
        Assert.Equal(JoseErrorCodes.TypeInvalid, Validate(required, actual).Error?.Code);

    [Fact]
    public void TypeIsNotCheckedUnlessRequired() =>
        Assert.Null(_harness.Validate(ClaimsHarness.Token($$"""{"exp":{{_harness.Now + 60}}}""", "anything")).Error);

    [Fact]
    public void AccessTokensSignedByTesseraCarryTheirType()
    {
        string token = JwtSigner.Sign(new JwtDescriptor { Type = "at+jwt", ExpiresAt = ClaimsHarness.Start.AddMinutes(5) }, TestKeys.Octet, "HS256");
        Assert.Null(new JwtValidator(_harness.Policy(new JwtValidationPolicy { RequiredType = "application/at+jwt" })).Validate(token, TestKeys.Octet).Error);
    }

    private JwtValidation Validate(string required, string? actual) =>
        _harness.Validate(ClaimsHarness.Token($$"""{"exp":{{_harness.Now + 60}}}""", actual), new JwtValidationPolicy { RequiredType = required });
}
