using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// The cache's key is the exact token text, compared in full and hashed by its tail (the signature;
/// #13: no digest per request). Only the very characters that were verified find an entry: not a
/// string whose UTF-16 code units spell a cached token's bytes, not one character changed, and not
/// a token that keeps a cached token's signature (so shares its bucket) but changes its payload.
/// </summary>
public class VerifiedTokenCacheKeyTests
{
    private static readonly Jwk Signing = Jwk.Generate("ES256", "k1");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 15, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AStringWhoseCodeUnitsSpellACachedTokensBytesIsNotAnsweredFromTheCache()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        JwkSet keys = JwkSet.Of(Signing.ToPublicJwk());
        // A token of even length, so its bytes pair up exactly (a subject one character longer changes the length).
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "user-1", Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);
        for (string subject = "user-1"; token.Length % 2 != 0; subject += "x")
        {
            token = JwtSigner.Sign(new JwtDescriptor { Subject = subject, Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);
        }

        Assert.True(cache.Validate(validator, token, keys).IsValid);

        // Each pair of ASCII bytes read as one little-endian UTF-16 code unit: the same bytes, other characters.
        char[] pairs = new char[token.Length / 2];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = (char)(token[2 * i] | (token[(2 * i) + 1] << 8));
        }

        string spelled = new(pairs);
        JwtValidation refused = cache.Validate(validator, spelled, keys);

        Assert.False(refused.IsValid);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void TokensDifferingInOneCharacterHaveTheirOwnEntries()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        JwkSet keys = JwkSet.Of(Signing.ToPublicJwk());
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "user-1", Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);
        Assert.True(cache.Validate(validator, token, keys).IsValid);

        // The last signature character changed: a different token, validated in full, and refused.
        char last = token[^1] == 'A' ? 'B' : 'A';
        JwtValidation tampered = cache.Validate(validator, token[..^1] + last, keys);

        Assert.False(tampered.IsValid);
        Assert.Equal(2, cache.Misses);
        Assert.True(cache.Validate(validator, token, keys).IsValid);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void ATokenKeepingACachedSignatureWithAnotherPayloadIsValidatedInFull()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        JwkSet keys = JwkSet.Of(Signing.ToPublicJwk());
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "user-1", Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);
        string other = JwtSigner.Sign(new JwtDescriptor { Subject = "user-2", Audiences = ["api"], ExpiresAt = _clock.GetUtcNow().AddMinutes(5) }, Signing);
        Assert.True(cache.Validate(validator, token, keys).IsValid);

        // user-2's header and payload with user-1's signature: the hashed tail is the cached token's, the text is not.
        string spliced = other[..other.LastIndexOf('.')] + token[token.LastIndexOf('.')..];
        JwtValidation refused = cache.Validate(validator, spliced, keys, out bool fromCache);

        Assert.False(fromCache);
        Assert.False(refused.IsValid);
        Assert.Equal(2, cache.Misses);
        Assert.Equal(1, cache.Count);
    }
}
