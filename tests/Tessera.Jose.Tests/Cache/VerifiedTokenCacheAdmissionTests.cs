using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// By default a token is stored the second time it is found valid (#13): tokens sent once never take
/// a place in the cache, so a stream of them cannot push out the tokens clients reuse.
/// </summary>
public class VerifiedTokenCacheAdmissionTests
{
    private readonly CachedTokens _tokens = new();

    [Fact]
    public void ATokenIsStoredTheSecondTimeItIsValidAndAnsweredFromTheThird()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = _tokens.Validator();
        string token = _tokens.Token();

        Assert.True(cache.Validate(validator, token, _tokens.Keys, out bool first).IsValid);
        Assert.Equal((false, 0), (first, cache.Count));
        Assert.True(cache.Validate(validator, token, _tokens.Keys, out bool second).IsValid);
        Assert.Equal((false, 1), (second, cache.Count));
        Assert.True(cache.Validate(validator, token, _tokens.Keys, out bool third).IsValid);

        Assert.True(third);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void TokensSentOnceDoNotPushOutATokenThatIsReused()
    {
        var cache = new VerifiedTokenCache(maxEntries: 4);
        JwtValidator validator = _tokens.Validator();
        string reused = _tokens.Token("reused");
        Assert.True(cache.Validate(validator, reused, _tokens.Keys).IsValid);
        Assert.True(cache.Validate(validator, reused, _tokens.Keys).IsValid);

        for (int i = 0; i < 40; i++)
        {
            Assert.True(cache.Validate(validator, _tokens.Token($"once-{i}"), _tokens.Keys).IsValid);
        }

        Assert.Equal(1, cache.Count);
        Assert.True(cache.Validate(validator, reused, _tokens.Keys, out bool fromCache).IsValid);
        Assert.True(fromCache);
    }

    [Fact]
    public void ARefusedTokenLeavesNoMark()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = _tokens.Validator();
        string token = JwtSigner.Sign(new JwtDescriptor
        {
            Subject = "user-1",
            Audiences = ["api"],
            NotBefore = _tokens.Clock.GetUtcNow().AddMinutes(5),
            ExpiresAt = _tokens.Clock.GetUtcNow().AddMinutes(10),
        }, CachedTokens.Signing);
        Assert.False(cache.Validate(validator, token, _tokens.Keys).IsValid);
        _tokens.Clock.Advance(TimeSpan.FromMinutes(5));

        // Valid now: this is its first valid sighting, so it is not stored yet.
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ClearForgetsTheTokensSeenOnce()
    {
        var cache = new VerifiedTokenCache();
        JwtValidator validator = _tokens.Validator();
        string token = _tokens.Token();
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);

        cache.Clear();
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);

        Assert.Equal(0, cache.Count);
    }
}
