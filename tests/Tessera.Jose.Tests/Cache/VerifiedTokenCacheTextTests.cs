using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// <see cref="VerifiedTokenCache.TextOf"/> (#13): a header's token equal to a cached one is the cache's
/// own string, so a client sending its token again costs no copy of it; anything else is a new
/// string of exactly the characters given, and the text alone never makes a token valid.
/// </summary>
public class VerifiedTokenCacheTextTests
{
    private readonly CachedTokens _tokens = new();

    [Fact]
    public void ACachedTokenInAHeaderIsTheCachesOwnStringAndAnsweredFromTheCache()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = _tokens.Validator();
        string token = _tokens.Token();
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);
        string header = "Bearer " + token;

        string text = cache.TextOf(header.AsSpan("Bearer ".Length));

        Assert.Same(token, text);
        Assert.True(cache.Validate(validator, text, _tokens.Keys, out bool fromCache).IsValid);
        Assert.True(fromCache);
    }

    [Fact]
    public void AnUncachedTokenIsANewStringOfExactlyItsCharacters()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        string token = _tokens.Token();
        string header = "Bearer " + token;

        string text = cache.TextOf(header.AsSpan("Bearer ".Length));

        Assert.Equal(token, text);
        Assert.NotSame(token, text);
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(0)] // the header
    [InlineData(-100)] // the payload, outside the hashed tail (an ES256 signature is 86 characters)
    [InlineData(-2)] // the signature, inside it (not the last character, whose four low bits are unused)
    public void ATokenDifferingInOneCharacterIsNotTheCachedStringAndIsValidatedInFull(int position)
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = _tokens.Validator();
        string token = _tokens.Token();
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);
        char[] changed = token.ToCharArray();
        int at = position < 0 ? changed.Length + position : position;
        changed[at] = changed[at] == 'A' ? 'B' : 'A';

        string text = cache.TextOf(changed);

        Assert.NotSame(token, text);
        Assert.Equal(new string(changed), text);
        Assert.False(cache.Validate(validator, text, _tokens.Keys, out bool fromCache).IsValid);
        Assert.False(fromCache);
    }

    [Fact]
    public void ACachedTokensTextDoesNotOutliveItsLifetime()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = _tokens.Validator();
        string token = _tokens.Token();
        Assert.True(cache.Validate(validator, token, _tokens.Keys).IsValid);
        _tokens.Clock.Advance(TimeSpan.FromMinutes(7));

        // Still the same characters (the entry is only dropped when next asked), and still refused: the text decides nothing.
        string text = cache.TextOf(token.AsSpan());
        Assert.Same(token, text);
        Assert.False(cache.Validate(validator, text, _tokens.Keys).IsValid);
        Assert.Equal(0, cache.Count);
        Assert.NotSame(token, cache.TextOf(token.AsSpan()));
    }
}
