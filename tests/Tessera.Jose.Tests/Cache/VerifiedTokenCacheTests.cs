using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// The verified-token cache: a hit skips the signature, and nothing a full validation would refuse
/// is answered from it (expiry, not-yet-valid, key removed, another policy, another token). These
/// caches store a token the first time it is valid, so each test is about what a cached token does;
/// the default, storing it the second time, has its own tests (<see cref="VerifiedTokenCacheAdmissionTests"/>).
/// </summary>
public class VerifiedTokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2030, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly Jwk Signing = Jwk.Generate("ES256", "k1");
    private static readonly Jwk Other = Jwk.Generate("ES256", "k2");

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly JwkSet _keys = JwkSet.Of(Signing.ToPublicJwk(), Other.ToPublicJwk());

    private JwtValidator Validator(TimeSpan? skew = null, TimeSpan? maxAge = null, string audience = "api", string[]? required = null, TimeProvider? clock = null) => new(new JwtValidationPolicy
    {
        ValidAudiences = [audience],
        ClockSkew = skew ?? TimeSpan.Zero,
        MaxTokenAge = maxAge,
        RequiredClaims = required ?? ["exp"],
        TimeProvider = clock ?? _clock,
    });

    private string Token(TimeSpan? lifetime = null, DateTimeOffset? notBefore = null, Jwk? key = null, bool withExpiry = true, string subject = "user-1") =>
        JwtSigner.Sign(new JwtDescriptor
        {
            Subject = subject,
            Audiences = ["api"],
            IssuedAt = _clock.GetUtcNow(),
            NotBefore = notBefore,
            ExpiresAt = withExpiry ? _clock.GetUtcNow() + (lifetime ?? TimeSpan.FromMinutes(5)) : null,
        }, key ?? Signing);

    [Fact]
    public void ASecondValidationOfTheSameTokenDoesNotVerifyTheSignatureAgain()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();

        JwtValidation first = cache.Validate(validator, token, _keys);
        JwtValidation second = cache.Validate(validator, token, _keys);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Same(first.Claims, second.Claims);
        Assert.Equal("user-1", second.Claims!.Subject);
        Assert.Equal("k1", second.Claims.KeyId);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(1, cache.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void ACachedTokenIsRefusedOnTheFirstValidationAfterItExpiresWithTheValidatorsSkew(int skewSeconds)
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator(TimeSpan.FromSeconds(skewSeconds));
        string token = Token(TimeSpan.FromSeconds(120));
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(120 + skewSeconds - 1));
        Assert.True(cache.Validate(validator, token, _keys).IsValid);
        Assert.Equal(1, cache.Misses);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(JoseErrorCodes.Expired, cache.Validate(validator, token, _keys).Error?.Code);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ACachedTokenIsRefusedOnceItIsOlderThanTheMaximumAge()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator(maxAge: TimeSpan.FromSeconds(60), required: ["exp", "iat"]);
        string token = Token(TimeSpan.FromHours(1));
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("iat", cache.Validate(validator, token, _keys).Error?.Claim);
    }

    [Fact]
    public void ATamperedTokenIsRefusedEvenThoughTheGenuineOneIsCached()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        int inPayload = token.IndexOf('.', StringComparison.Ordinal) + 5;
        string tamperedPayload = token[..inPayload] + (token[inPayload] == 'A' ? 'B' : 'A') + token[(inPayload + 1)..];
        string tamperedSignature = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        Assert.False(cache.Validate(validator, tamperedPayload, _keys).IsValid);
        Assert.False(cache.Validate(validator, tamperedSignature, _keys).IsValid);
        Assert.True(cache.Validate(validator, token, _keys).IsValid);
        Assert.Equal(3, cache.Misses);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ATokenWhoseKeyLeftTheSetIsValidatedAgainAndRefused()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        JwtValidation after = cache.Validate(validator, token, JwkSet.Of(Other.ToPublicJwk()));

        Assert.Equal(JoseErrorCodes.KeyNotFound, after.Error?.Code);
        Assert.Equal(2, cache.Misses);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ANewSnapshotHoldingTheSameKeyStillAnswersFromTheCache()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        JwkSet reread = JwkSet.Parse(_keys.ToJson());

        Assert.True(cache.Validate(validator, token, reread).IsValid);
        Assert.True(cache.Validate(validator, token, reread).IsValid);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void ADifferentKeyUnderTheSameKidInANewSnapshotIsNotTrusted()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        JwkSet impostor = JwkSet.Of(Jwk.Generate("ES256", "k1").ToPublicJwk());

        Assert.Equal(JoseErrorCodes.SignatureInvalid, cache.Validate(validator, token, impostor).Error?.Code);
    }

    [Fact]
    public void AnotherValidatorDoesNotShareTheEntriesOfTheFirst()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        string token = Token();
        Assert.True(cache.Validate(Validator(), token, _keys).IsValid);

        JwtValidation elsewhere = cache.Validate(Validator(audience: "another-api"), token, _keys);

        Assert.Equal(JoseErrorCodes.AudienceInvalid, elsewhere.Error?.Code);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void FailuresAreNeverCached()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string stranger = Token(key: Jwk.Generate("ES256", "k1"));

        Assert.False(cache.Validate(validator, stranger, _keys).IsValid);
        Assert.False(cache.Validate(validator, stranger, _keys).IsValid);

        Assert.Equal(2, cache.Misses);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ANotYetValidTokenIsNotCachedAndIsAcceptedOnceItsTimeComes()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token(notBefore: Start + TimeSpan.FromSeconds(30));

        Assert.Equal(JoseErrorCodes.NotYetValid, cache.Validate(validator, token, _keys).Error?.Code);
        Assert.Equal(0, cache.Count);

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(cache.Validate(validator, token, _keys).IsValid);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ACachedTokenIsRefusedWhenTheClockGoesBackBeforeItsNotBefore()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        var wall = new WallClock { Now = Start + TimeSpan.FromSeconds(30) };
        JwtValidator validator = Validator(clock: wall);
        _clock.Advance(TimeSpan.FromSeconds(30));
        string token = Token(notBefore: _clock.GetUtcNow());
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        wall.Now = Start;

        Assert.Equal(JoseErrorCodes.NotYetValid, cache.Validate(validator, token, _keys).Error?.Code);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void ATokenWithoutExpiryIsValidatedButNotCached()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator(required: []);
        string token = Token(withExpiry: false);

        Assert.True(cache.Validate(validator, token, _keys).IsValid);
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        Assert.Equal(0, cache.Count);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void TheCacheNeverHoldsMoreEntriesThanItsBound()
    {
        var cache = new VerifiedTokenCache(maxEntries: 8) { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();

        for (int i = 0; i < 50; i++)
        {
            Assert.True(cache.Validate(validator, Token(subject: $"user-{i}"), _keys).IsValid);
            Assert.InRange(cache.Count, 1, 8);
        }
    }

    [Fact]
    public void TheCacheNeverHoldsMoreBytesThanItsBound()
    {
        string sample = Token();
        long perEntry = 256 + (3L * sample.Length);
        var cache = new VerifiedTokenCache(maxBytes: perEntry * 4) { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();

        for (int i = 0; i < 30; i++)
        {
            Assert.True(cache.Validate(validator, Token(subject: $"user-{i:00}"), _keys).IsValid);
            Assert.InRange(cache.ApproximateBytes, 1, perEntry * 4);
        }
    }

    [Fact]
    public void ExpiredEntriesAreTheFirstToGoWhenTheCacheIsFull()
    {
        var cache = new VerifiedTokenCache(maxEntries: 4) { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string lasting = Token(TimeSpan.FromHours(1), subject: "lasting");
        Assert.True(cache.Validate(validator, lasting, _keys).IsValid);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(cache.Validate(validator, Token(TimeSpan.FromSeconds(10), subject: $"short-{i}"), _keys).IsValid);
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cache.Validate(validator, Token(TimeSpan.FromHours(1), subject: "new"), _keys).IsValid);
        long misses = cache.Misses;

        Assert.True(cache.Validate(validator, lasting, _keys).IsValid);
        Assert.Equal(misses, cache.Misses);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void ManyThreadsReadingTheSameCachedTokenAllGetItsClaims()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        Parallel.For(0, 1000, _ =>
        {
            JwtValidation validation = cache.Validate(validator, token, _keys);
            Assert.True(validation.Claims!.TryGetString("sub", out string? sub) && sub == "user-1");
        });

        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void ClearForgetsEveryToken()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        JwtValidator validator = Validator();
        string token = Token();
        Assert.True(cache.Validate(validator, token, _keys).IsValid);

        cache.Clear();

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.ApproximateBytes);
        Assert.True(cache.Validate(validator, token, _keys).IsValid);
        Assert.Equal(2, cache.Misses);
    }

    /// <summary>A clock that may be set back (FakeTimeProvider only moves forward).</summary>
    private sealed class WallClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
