using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Claims;

/// <summary>Signs payloads given as JSON text and validates them against a policy on a fake clock.</summary>
internal sealed class ClaimsHarness
{
    /// <summary>A fixed "now" well inside the NumericDate range, on a whole second.</summary>
    public static readonly DateTimeOffset Start = new(2030, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>An HS256 token over exactly this payload text.</summary>
    public static string Token(string payloadJson, string? type = null) =>
        RawJws.Hmac(type is null ? """{"alg":"HS256"}""" : $$"""{"alg":"HS256","typ":"{{type}}"}""", payloadJson, TestKeys.OctetSecret);

    /// <summary>The policy under test, on this harness's clock.</summary>
    public JwtValidationPolicy Policy(JwtValidationPolicy? policy = null) => (policy ?? new JwtValidationPolicy()) with { TimeProvider = Clock };

    public JwtValidation Validate(string token, JwtValidationPolicy? policy = null) =>
        new JwtValidator(Policy(policy)).Validate(token, TestKeys.Octet);

    public JoseError? Error(string payloadJson, JwtValidationPolicy? policy = null) => Validate(Token(payloadJson), policy).Error;
}
