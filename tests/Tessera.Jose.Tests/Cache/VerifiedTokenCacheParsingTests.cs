using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.Claims;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// A cache miss costs one signature verification and as little else as possible (#13): remembering
/// a token does not parse its payload (a caller that asks only for registered claims and the
/// binding never does), and what a hit answers is the same either way.
/// </summary>
public class VerifiedTokenCacheParsingTests
{
    private static readonly Jwk Signing = Jwk.Generate("ES256", "k1");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 15, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RememberingATokenDoesNotParseItsPayload()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        JwkSet keys = JwkSet.Of(Signing.ToPublicJwk());
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "user-1", Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);

        JwtClaims missed = cache.Validate(validator, token, keys, out bool firstFromCache).Claims!;
        JwtClaims hit = cache.Validate(validator, token, keys, out bool secondFromCache).Claims!;

        Assert.False(firstFromCache);
        Assert.True(secondFromCache);
        Assert.Same(missed, hit);
        Assert.False(ConfirmationClaimTests.Parsed(hit));
        Assert.Equal(JwtConfirmationKind.None, hit.Confirmation.Kind);
        Assert.Equal("user-1", hit.Subject);
        Assert.False(ConfirmationClaimTests.Parsed(hit));

        // Asked for, the payload is there as before.
        Assert.True(hit.TryGetString("sub", out string? subject));
        Assert.Equal("user-1", subject);
        Assert.True(ConfirmationClaimTests.Parsed(hit));
    }

    [Fact]
    public void ABoundTokensThumbprintIsKnownBeforeItsFirstHit()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        JwkSet keys = JwkSet.Of(Signing.ToPublicJwk());
        var descriptor = new JwtDescriptor
        {
            Subject = "user-1",
            Audiences = ["api"],
            ExpiresAt = _clock.GetUtcNow().AddMinutes(5),
            AdditionalClaims = new JsonObject { ["cnf"] = new JsonObject { ["jkt"] = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" } },
        };
        string token = JwtSigner.Sign(descriptor, Signing);

        _ = cache.Validate(validator, token, keys);
        JwtClaims hit = cache.Validate(validator, token, keys, out bool fromCache).Claims!;

        Assert.True(fromCache);
        Assert.Equal(JwtConfirmationKind.KeyThumbprint, hit.Confirmation.Kind);
        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", hit.Confirmation.KeyThumbprint);
    }
}
