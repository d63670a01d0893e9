using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// By default a token is stored the second time it is found valid (#13): tokens sent once never take
/// a place in the cache, so a stream of them cannot push out the tokens clients reuse.
/// </summary>
public class VerifiedTokenCacheAdmissionTests
{
    private static readonly Jwk Signing = Jwk.Generate("ES256", "k1");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly JwkSet _keys = JwkSet.Of(Signing.ToPublicJwk());

    private JwtValidator Validator() => new(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });

    private string Token(string subject = "user-1") =>
        JwtSigner.Sign(new JwtDescriptor { Subject = subject, Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);

    [Fact]
    public void ATokenIsStoredTheSecondTimeItIsValidAndAnsweredFromTheThird()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = Validator();
        string token = Token();

        Assert.True(cache.Validate(validator, token, _keys, out bool first).IsValid);
        Assert.Equal((false, 0), (first, cache.Count));
        Assert.True(cache.Validate(validator, token, _keys, out bool second).IsValid);
        Assert.Equal((false, 1), (second, cache.Count));
        Assert.True(cache.Validate(validator, token, _keys, out bool third).IsValid);

        Assert.True(third);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void TokensSentOnceDoNotPushOutATokenThatIsReused()
    {
        var cache = new VerifiedTokenCache(maxEntries: 4);
        JwtValidator validator = Validator();
        string reused = Token("reused");
        Assert.True(cache.Validate(validator, reused, _keys).IsValid);
        Assert.True(cache.Validate(validator, reused, _keys).IsValid);

        for (int i = 0; i < 40; i++)
        {
            Assert.True(cache.Validate(validator, Token($"once-{i}"), _keys).IsValid);
        }

        Assert.Equal(1, cache.Count);
        Assert.True(cache.Validate(validator, reused, _keys, out bool fromCache).IsValid);
        Assert.True(fromCache);
    }

    [Fact]
    public void ARefusedTokenLeavesNoMark()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = Validator();
        string token = JwtSigner.Sign(new JwtDescriptor
        {
            Subject = "user-1",
            Audiences = ["api"],
            NotBefore = _clock.GetUtcNow().AddMinutes(5),
            ExpiresAt = _clock.GetUtcNow().AddMinutes(10),
        }, Signing);
        Assert.False(cache.Validate(validator, token, _keys).IsValid);
        _clock.Advance(TimeSpan.FromMinutes(5));

        // Valid now: this is its first valid sighting, so it is not stored yet.
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ClearForgetsTheTokensSeenOnce()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        cache.Clear();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        Assert.Equal(0, cache.Count);
    }
}
