using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// Hostile size and depth are refused early with <c>too_large</c>: no stack overflow, no
/// exception escaping, and the length check before any parsing. (How fast that is belongs to the
/// benchmarks; unit tests assert no timings.)
/// </summary>
public class ResourceLimitTests
{
    [Theory]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(5_000)]
    public void DeeplyNestedHeaderIsRefusedAsTooLarge(int depth)
    {
        string header = """{"alg":"HS256","x":""" + new string('[', depth) + new string(']', depth) + "}";
        string token = RawJws.Hmac(header, "{}", TestKeys.OctetSecret);
        var verifier = new JwsVerifier(new JwsVerificationOptions { MaxTokenLength = 1 << 20 });

        AssertTooLarge(() => verifier.Verify(token, TestKeys.Octet).Error);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void DeeplyNestedClaimsAreRefusedAsTooLarge(int depth)
    {
        string payload = """{"exp":4102444800,"x":""" + new string('[', depth) + new string(']', depth) + "}";
        string token = RawJws.Hmac("""{"alg":"HS256"}""", payload, TestKeys.OctetSecret);
        var validator = new JwtValidator(new JwtValidationPolicy { MaxTokenLength = 1 << 20 });

        AssertTooLarge(() => validator.Validate(token, TestKeys.Octet).Error);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? error, maxTokenLength: 1 << 20));
        Assert.Equal(JoseErrorCodes.TooLarge, error!.Code);
    }

    [Fact]
    public void TenThousandOpeningBracketsAreRefusedAsTooLarge()
    {
        string unbalanced = RawJws.Hmac("""{"alg":"HS256"}""", """{"x":""" + new string('[', 10_000), TestKeys.OctetSecret);
        var validator = new JwtValidator(new JwtValidationPolicy { MaxTokenLength = 1 << 20 });
        AssertTooLarge(() => validator.Validate(unbalanced, TestKeys.Octet).Error);
    }

    [Theory]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1 << 20)]
    [InlineData(4 << 20)]
    public void OversizedTokensAreRefusedAsTooLargeBeforeAnyWork(int length)
    {
        // A plausible-looking token, padded out: the length check comes before parsing.
        string token = RawJws.Hmac("""{"alg":"HS256"}""", "{}", TestKeys.OctetSecret);
        string huge = token + new string('A', length - token.Length);

        AssertTooLarge(() => new JwsVerifier().Verify(huge, TestKeys.Octet).Error);
        AssertTooLarge(() => new JwtValidator(new JwtValidationPolicy()).Validate(huge, TestKeys.Octet).Error);
        AssertTooLarge(() => JwtDecoder.TryDecodeUnverified(huge, out _, out JoseError? error, maxTokenLength: 16 * 1024) ? null : error);
    }

    [Fact]
    public void OversizedHeaderIsRefusedAsTooLargeWithinTheTokenLimit()
    {
        string header = """{"alg":"HS256","pad":" """ + new string('x', 9_000) + "\"}";
        string token = RawJws.Hmac(header, "{}", TestKeys.OctetSecret);
        Assert.True(token.Length < 16 * 1024);
        AssertTooLarge(() => new JwsVerifier().Verify(token, TestKeys.Octet).Error);
    }

    [Fact]
    public void TheConfiguredMaximumTokenLengthIsExact()
    {
        string token = RawJws.Hmac("""{"alg":"HS256"}""", """{"exp":4102444800}""", TestKeys.OctetSecret);
        Assert.Null(new JwtValidator(new JwtValidationPolicy { MaxTokenLength = token.Length }).Validate(token, TestKeys.Octet).Error);
        Assert.Equal(JoseErrorCodes.TooLarge,
            new JwtValidator(new JwtValidationPolicy { MaxTokenLength = token.Length - 1 }).Validate(token, TestKeys.Octet).Error?.Code);
    }

    private static void AssertTooLarge(Func<JoseError?> run) => Assert.Equal(JoseErrorCodes.TooLarge, run()?.Code);
}
