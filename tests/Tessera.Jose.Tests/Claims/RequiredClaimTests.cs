using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary>Claims the policy requires, registered or custom, must be present; by default that is <c>exp</c>.</summary>
public class RequiredClaimTests
{
    private readonly ClaimsHarness _harness = new();

    [Fact]
    public void ByDefaultATokenWithoutExpiryIsRefused()
    {
        JoseError? error = _harness.Error("""{"sub":"alice"}""");
        Assert.Equal(JoseErrorCodes.ClaimMissing, error?.Code);
        Assert.Equal("exp", error!.Claim);
    }

    [Fact]
    public void WithNoRequiredClaimsATokenWithoutExpiryIsAccepted() =>
        Assert.Null(_harness.Error("""{"sub":"alice"}""", new JwtValidationPolicy { RequiredClaims = [] }));

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("nbf")]
    [InlineData("iat")]
    [InlineData("jti")]
    [InlineData("tenant")]
    [InlineData("urn:example:claim")]
    public void MissingRequiredClaimIsReportedByName(string claim)
    {
        string[] all = ["exp", "iss", "sub", "aud", "nbf", "iat", "jti", "tenant", "urn:example:claim"];
        long now = _harness.Now;
        var members = new Dictionary<string, string>
        {
            ["exp"] = $"{now + 60}", ["iss"] = "\"i\"", ["sub"] = "\"s\"", ["aud"] = "\"a\"", ["nbf"] = $"{now}",
            ["iat"] = $"{now}", ["jti"] = "\"j\"", ["tenant"] = "\"t\"", ["urn:example:claim"] = "0",
        };
        var policy = new JwtValidationPolicy { RequiredClaims = all };

        Assert.Null(_harness.Error(Payload(members), policy));
        members.Remove(claim);
        JoseError? error = _harness.Error(Payload(members), policy);
        Assert.Equal(JoseErrorCodes.ClaimMissing, error?.Code);
        Assert.Equal(claim, error!.Claim);
    }

    [Fact]
    public void RequiredCustomClaimMayBeSpelledWithEscapes() =>
        Assert.Null(_harness.Error($$"""{"exp":{{_harness.Now + 60}},"\u0074enant":"t"}""", new JwtValidationPolicy { RequiredClaims = ["exp", "tenant"] }));

    [Fact]
    public void ARequiredClaimNestedInAnotherIsNotPresent()
    {
        JoseError? error = _harness.Error($"{{\"exp\":{_harness.Now + 60},\"x\":{{\"tenant\":\"t\"}}}}", new JwtValidationPolicy { RequiredClaims = ["exp", "tenant"] });
        Assert.Equal(JoseErrorCodes.ClaimMissing, error?.Code);
    }

    [Fact]
    public void MoreThanThirtyTwoRequiredCustomClaimsIsAConfigurationError() =>
        Assert.Throws<ArgumentException>(() => new JwtValidator(new JwtValidationPolicy { RequiredClaims = Enumerable.Range(0, 33).Select(i => $"c{i}").ToArray() }));

    private static string Payload(Dictionary<string, string> members) =>
        "{" + string.Join(',', members.Select(m => $"\"{m.Key}\":{m.Value}")) + "}";
}
