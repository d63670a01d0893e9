using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// <see cref="JwtClaims.SessionId"/>: the <c>sid</c> claim when it is a string, else null — the same
/// answer as <c>TryGetString("sid", …)</c> — read once per instance (a revocation check asks on every
/// request for a cached token).
/// </summary>
public class SessionIdClaimTests
{
    private readonly ClaimsHarness _harness = new();

    [Theory]
    [InlineData(",\"sid\":\"s-1\"", "s-1")]
    [InlineData(",\"sid\":\"\\u0073-2\"", "s-2")]
    [InlineData(",\"s\\u0069d\":\"escaped-name\"", "escaped-name")]
    [InlineData(",\"sid\":\"\"", "")]
    [InlineData("", null)]
    [InlineData(",\"sid\":null", null)]
    [InlineData(",\"sid\":7", null)]
    [InlineData(",\"sid\":[\"s-1\"]", null)]
    [InlineData(",\"sid\":{\"v\":\"s-1\"}", null)]
    [InlineData(",\"sidx\":\"not-sid\",\"x\":{\"sid\":\"nested\"}", null)]
    [InlineData(",\"roles\":[\"sid\",{\"sid\":1}],\"x\":[[\"sid\"]],\"sid\":\"after-nesting\"", "after-nesting")]
    public void TheSessionIdIsWhatTryGetStringSays(string members, string? expected)
    {
        string payload = $$"""{"exp":{{_harness.Now + 60}},"sub":"alice"{{members}}}""";

        // Read first from the payload's bytes, then from a parsed document: the same answer as TryGetString.
        JwtClaims fresh = Valid(payload);
        string? fromBytes = fresh.SessionId;
        JwtClaims parsedFirst = Valid(payload);
        bool found = parsedFirst.TryGetString("sid", out string? viaJson);

        Assert.Equal(expected, fromBytes);
        Assert.Equal(expected, parsedFirst.SessionId);
        Assert.Equal(expected is not null, found);
        Assert.Equal(viaJson, fromBytes);
    }

    [Fact]
    public void TheSessionIdIsReadOnce()
    {
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}},"sid":"s-1"}""");

        Assert.Same(claims.SessionId, claims.SessionId);
    }

    private JwtClaims Valid(string payload)
    {
        JwtValidation validation = _harness.Validate(ClaimsHarness.Token(payload));
        Assert.True(validation.IsValid, validation.Error?.Message);
        return validation.Claims!;
    }
}
