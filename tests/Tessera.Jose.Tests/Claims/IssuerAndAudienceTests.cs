using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary><c>iss</c> matches exactly; <c>aud</c>, a string or an array, needs one accepted value (RFC 7519 §4.1.1, §4.1.3).</summary>
public class IssuerAndAudienceTests
{
    private const string Issuer = "https://issuer.example";

    private readonly ClaimsHarness _harness = new();

    private static readonly JwtValidationPolicy IssuerPolicy = new() { ValidIssuers = [Issuer, "urn:other"] };
    private static readonly JwtValidationPolicy AudiencePolicy = new() { ValidAudiences = ["api", "admin-api"] };

    [Theory]
    [InlineData(Issuer)]
    [InlineData("urn:other")]
    public void AcceptedIssuerIsValid(string issuer) =>
        Assert.Null(_harness.Error($$"""{"exp":{{_harness.Now + 60}},"iss":"{{issuer}}"}""", IssuerPolicy));

    [Theory]
    [InlineData(Issuer + "/")]
    [InlineData("HTTPS://ISSUER.EXAMPLE")]
    [InlineData(" https://issuer.example")]
    [InlineData("https://issuer.example.evil")]
    [InlineData("")]
    public void IssuerMustMatchExactly(string issuer)
    {
        JoseError? error = _harness.Error($$"""{"exp":{{_harness.Now + 60}},"iss":"{{issuer}}"}""", IssuerPolicy);
        Assert.Equal(JoseErrorCodes.IssuerInvalid, error?.Code);
        Assert.Equal("iss", error!.Claim);
    }

    [Fact]
    public void MissingIssuerIsInvalidWhenIssuersAreChecked() =>
        Assert.Equal(JoseErrorCodes.IssuerInvalid, _harness.Error($$"""{"exp":{{_harness.Now + 60}}}""", IssuerPolicy)?.Code);

    [Fact]
    public void EscapedIssuerIsComparedAfterUnescaping() =>
        Assert.Null(_harness.Error($$"""{"exp":{{_harness.Now + 60}},"iss":"https:\/\/issuer.\u0065xample"}""", IssuerPolicy));

    [Theory]
    [InlineData("\"api\"")]
    [InlineData("[\"api\"]")]
    [InlineData("[\"other\",\"admin-api\"]")]
    [InlineData("[\"x\",\"y\",\"api\"]")]
    public void AudienceAsStringOrArrayNeedsOneAcceptedValue(string audience) =>
        Assert.Null(_harness.Error($$"""{"exp":{{_harness.Now + 60}},"aud":{{audience}}}""", AudiencePolicy));

    [Theory]
    [InlineData("\"API\"")]
    [InlineData("\"api \"")]
    [InlineData("[]")]
    [InlineData("[\"other\",\"third\"]")]
    public void AudienceWithoutAnAcceptedValueIsInvalid(string audience)
    {
        JoseError? error = _harness.Error($$"""{"exp":{{_harness.Now + 60}},"aud":{{audience}}}""", AudiencePolicy);
        Assert.Equal(JoseErrorCodes.AudienceInvalid, error?.Code);
        Assert.Equal("aud", error!.Claim);
    }

    [Fact]
    public void MissingAudienceIsInvalidWhenAudiencesAreChecked() =>
        Assert.Equal(JoseErrorCodes.AudienceInvalid, _harness.Error($$"""{"exp":{{_harness.Now + 60}}}""", AudiencePolicy)?.Code);

    [Fact]
    public void ValidatedClaimsExposeEveryAudienceInEitherForm()
    {
        Assert.Equal(["api"], _harness.Validate(ClaimsHarness.Token($$"""{"exp":{{_harness.Now + 60}},"aud":"api"}""")).Claims!.Audiences);
        Assert.Equal(["a", "api"], _harness.Validate(ClaimsHarness.Token($$"""{"exp":{{_harness.Now + 60}},"aud":["a","api"]}""")).Claims!.Audiences);
    }

    [Fact]
    public void EmptyIssuerOrAudienceListsAreAConfigurationError()
    {
        Assert.Throws<ArgumentException>(() => new JwtValidator(new JwtValidationPolicy { ValidIssuers = [] }));
        Assert.Throws<ArgumentException>(() => new JwtValidator(new JwtValidationPolicy { ValidAudiences = [""] }));
    }
}
