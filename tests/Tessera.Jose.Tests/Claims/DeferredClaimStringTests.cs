using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// <c>sub</c> and <c>jti</c> are made into strings only when read (the validator remembers where
/// an unescaped value sits in the payload): what they read as must be exactly what the JSON says,
/// escaped or not, empty or absent, and a required one must still count as present.
/// </summary>
public class DeferredClaimStringTests
{
    private readonly ClaimsHarness _harness = new();

    [Theory]
    [InlineData("\"alice\"", "alice")]
    [InlineData("\"\"", "")]
    [InlineData("\"al\\u0069ce\"", "alice")]
    [InlineData("\"line\\nbreak \\\"quoted\\\"\"", "line\nbreak \"quoted\"")]
    [InlineData("\"Zoë 日本 😀\"", "Zoë 日本 😀")]
    public void SubjectAndJwtIdReadAsTheJsonSays(string json, string expected)
    {
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}},"sub":{{json}},"jti":{{json}},"x":"after"}""");

        Assert.Equal(expected, claims.Subject);
        Assert.Equal(expected, claims.JwtId);
        Assert.Same(claims.Subject, claims.Subject);
        Assert.True(claims.TryGetString("x", out string? after));
        Assert.Equal("after", after);
    }

    [Fact]
    public void AbsentSubjectAndJwtIdAreNull()
    {
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}}}""");

        Assert.Null(claims.Subject);
        Assert.Null(claims.JwtId);
    }

    [Fact]
    public void ARequiredEmptySubjectIsPresent() =>
        Assert.Null(_harness.Error($$"""{"exp":{{_harness.Now + 60}},"sub":"","jti":""}""", new JwtValidationPolicy { RequiredClaims = ["exp", "sub", "jti"] }));

    [Fact]
    public void ANonStringSubjectIsStillRefused() =>
        Assert.Equal(JoseErrorCodes.Malformed, _harness.Error($$"""{"exp":{{_harness.Now + 60}},"sub":7}""")?.Code);

    [Fact]
    public void InvalidUtf8InAnUnreadSubjectIsStillRefused()
    {
        // The bytes are checked while validating, not when the string is first made.
        byte[] payload = [.. "{\"exp\":"u8, .. System.Text.Encoding.ASCII.GetBytes($"{_harness.Now + 60}"), .. ",\"sub\":\"a"u8, 0xC3, 0x28, .. "\"}"u8];
        JwtValidation validation = _harness.Validate(RawJws.Hmac("""{"alg":"HS256"}"""u8.ToArray(), payload, TestKeys.OctetSecret));

        Assert.Equal(JoseErrorCodes.Malformed, validation.Error?.Code);
    }

    private JwtClaims Valid(string payload)
    {
        JwtValidation validation = _harness.Validate(ClaimsHarness.Token(payload));
        Assert.True(validation.IsValid, validation.Error?.Message);
        return validation.Claims!;
    }
}
