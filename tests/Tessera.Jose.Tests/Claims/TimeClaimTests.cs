using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary><c>exp</c>, <c>nbf</c>, <c>iat</c> and the maximum token age, with clock skew, on a fake clock (RFC 7519 §4.1.4–4.1.6).</summary>
public class TimeClaimTests
{
    private readonly ClaimsHarness _harness = new();

    private static JwtValidationPolicy Skew(int seconds) => new() { ClockSkew = TimeSpan.FromSeconds(seconds) };

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    [InlineData(300)]
    public void TokenExactlyAtExpiryPlusSkewIsExpiredAndOneSecondBeforeIsNot(int skew)
    {
        long now = _harness.Now;

        JoseError? atBoundary = _harness.Error($$"""{"exp":{{now - skew}}}""", Skew(skew));
        Assert.Equal(JoseErrorCodes.Expired, atBoundary?.Code);
        Assert.Equal("exp", atBoundary!.Claim);
        Assert.Null(_harness.Error($$"""{"exp":{{now - skew + 1}}}""", Skew(skew)));
    }

    [Fact]
    public void TheSameTokenExpiresAsTheClockAdvances()
    {
        string token = ClaimsHarness.Token($$"""{"exp":{{_harness.Now + 120}}}""");
        JwtValidationPolicy policy = Skew(0);

        Assert.Null(_harness.Validate(token, policy).Error);
        _harness.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Null(_harness.Validate(token, policy).Error);
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(JoseErrorCodes.Expired, _harness.Validate(token, policy).Error?.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void TokenBeforeItsNotBeforeMinusSkewIsNotYetValid(int skew)
    {
        long now = _harness.Now;
        string exp = $"\"exp\":{now + 3600}";

        JoseError? early = _harness.Error($$"""{{{exp}},"nbf":{{now + skew + 1}}}""", Skew(skew));
        Assert.Equal(JoseErrorCodes.NotYetValid, early?.Code);
        Assert.Equal("nbf", early!.Claim);
        Assert.Null(_harness.Error($$"""{{{exp}},"nbf":{{now + skew}}}""", Skew(skew)));
    }

    [Fact]
    public void TokenIssuedInTheFutureBeyondTheSkewIsNotYetValid()
    {
        long now = _harness.Now;
        string exp = $"\"exp\":{now + 3600}";

        JoseError? future = _harness.Error($$"""{{{exp}},"iat":{{now + 61}}}""");
        Assert.Equal(JoseErrorCodes.NotYetValid, future?.Code);
        Assert.Equal("iat", future!.Claim);
        Assert.Null(_harness.Error($$"""{{{exp}},"iat":{{now + 60}}}"""));
    }

    [Fact]
    public void TokenOlderThanTheMaximumAgeIsExpired()
    {
        long now = _harness.Now;
        string exp = $"\"exp\":{now + 3600}";
        var policy = new JwtValidationPolicy { MaxTokenAge = TimeSpan.FromMinutes(10), ClockSkew = TimeSpan.FromSeconds(30) };

        // Too old once now - skew reaches iat + maxAge.
        JoseError? old = _harness.Error($$"""{{{exp}},"iat":{{now - 600 - 30}}}""", policy);
        Assert.Equal(JoseErrorCodes.Expired, old?.Code);
        Assert.Equal("iat", old!.Claim);
        Assert.Null(_harness.Error($$"""{{{exp}},"iat":{{now - 600 - 29}}}""", policy));
    }

    [Fact]
    public void MaximumAgeRequiresAnIssuedAtClaim()
    {
        var policy = new JwtValidationPolicy { MaxTokenAge = TimeSpan.FromMinutes(10) };
        JoseError? missing = _harness.Error($$"""{"exp":{{_harness.Now + 60}}}""", policy);
        Assert.Equal(JoseErrorCodes.ClaimMissing, missing?.Code);
        Assert.Equal("iat", missing!.Claim);
    }

    [Fact]
    public void NegativeSkewOrNonPositiveMaximumAgeIsAConfigurationError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JwtValidator(new JwtValidationPolicy { ClockSkew = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JwtValidator(new JwtValidationPolicy { MaxTokenAge = TimeSpan.Zero }));
    }

    [Fact]
    public void FractionalNumericDatesAreAcceptedAndReadToTheWholeSecondBelow()
    {
        long now = _harness.Now;
        JwtValidation result = _harness.Validate(
            ClaimsHarness.Token($$"""{"exp":{{now + 100}}.75,"nbf":{{now - 10}}.5,"iat":{{now - 20}}.25}"""), Skew(0));

        Assert.Null(result.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now + 100), result.Claims!.ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now - 10), result.Claims.NotBefore);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now - 20), result.Claims.IssuedAt);
    }

    [Fact]
    public void FractionalExpiryIsNeverExtendedByRounding()
    {
        // exp = now + 0.5 read as now: expired at now with no skew (early by under a second, never late).
        long now = _harness.Now;
        Assert.Equal(JoseErrorCodes.Expired, _harness.Error($$"""{"exp":{{now}}.5}""", Skew(0))?.Code);
        Assert.Null(_harness.Error($$"""{"exp":{{now + 1}}.5}""", Skew(0)));
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1.0E3")]
    public void NumericDatesInExponentFormAreAccepted(string value)
    {
        JwtValidation result = _harness.Validate(ClaimsHarness.Token($$"""{"nbf":{{value}}}"""), new JwtValidationPolicy { RequiredClaims = [] });
        Assert.Null(result.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1000), result.Claims!.NotBefore);
    }
}
