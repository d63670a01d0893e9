using Tessera.Jose;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>
/// The server's own bearer with its verified-token cache: a token sent again skips the signature,
/// and is still refused on the first request after it expires, its session is revoked, its key
/// leaves the ring, or one character of it changes.
/// </summary>
public class AccessTokenCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static long Misses(TokenHarness tokens) => tokens.Tokens.AccessTokens.Cache!.Misses;

    [Fact]
    public async Task AnAccessTokenIsStoredOnItsSecondValidationAndNotVerifiedAgainAfter()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();

        Outcome<ValidatedAccessToken> first = await tokens.ValidateAsync(pair.AccessToken);
        Outcome<ValidatedAccessToken> second = await tokens.ValidateAsync(pair.AccessToken);
        Outcome<ValidatedAccessToken> third = await tokens.ValidateAsync(pair.AccessToken);

        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        Assert.True(third.Succeeded);
        Assert.Equal(pair.Session.Handle, third.Value.Session.Handle);
        Assert.Equal((false, false, true), (first.Value.FromCache, second.Value.FromCache, third.Value.FromCache));
        Assert.Same(second.Value.Claims, third.Value.Claims);
        Assert.Equal(2, Misses(tokens));
        Assert.Equal(1, tokens.Tokens.AccessTokens.Cache!.Count);
    }

    // The cache stores a token the second time it is found valid (VerifiedTokenCache's doorkeeper).
    private static async Task CachedAsync(TokenHarness tokens, string accessToken)
    {
        Assert.True((await tokens.ValidateAsync(accessToken)).Succeeded);
        Assert.True((await tokens.ValidateAsync(accessToken)).Succeeded);
        Assert.Equal(1, tokens.Tokens.AccessTokens.Cache!.Count);
    }

    [Fact]
    public async Task ACachedAccessTokenIsRefusedOnTheFirstRequestAfterItExpires()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);
        tokens.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);

        tokens.Time.Advance(TimeSpan.FromSeconds(1));
        TesseraError? error = (await tokens.ValidateAsync(pair.AccessToken)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.Expired, error?.Reason);
    }

    [Fact]
    public async Task ACachedAccessTokenIsRefusedOnTheFirstRequestAfterItsSessionIsRevoked()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);

        await tokens.Sessions.RevokeAsync(pair.Session.Handle, RevocationReasons.SignedOut, None);

        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.ValidateAsync(pair.AccessToken)).Error?.Code);
    }

    [Fact]
    public async Task ACachedAccessTokenIsRefusedOnTheFirstRequestAfterTheKeyThatSignedItLeavesTheRing()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);
        string signedBy = (await tokens.Keys.GetAsync(None)).SigningKey.KeyId!;

        // A compromised key withdrawn at once: another signs, and the old one is retired so long
        // ago that it is no longer published.
        await tokens.Keys.RotateAsync(immediately: true, None);
        await tokens.KeyStore.RetireAsync(signedBy, tokens.Time.GetUtcNow() - TimeSpan.FromHours(1), None);
        tokens.Time.Advance(SigningKeyRing.MinimumRereadInterval);
        KeyRingSnapshot reread = await tokens.Keys.RereadAsync(None);
        Assert.DoesNotContain(reread.Published.Keys, k => k.KeyId == signedBy);

        TesseraError? error = (await tokens.ValidateAsync(pair.AccessToken)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.KeyNotFound, error?.Reason);
    }

    [Fact]
    public async Task ACachedAccessTokenSurvivesARereadOfTheRingThatStillHoldsItsKey()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);

        tokens.Time.Advance(SigningKeyRing.MinimumRereadInterval);
        await tokens.Keys.RereadAsync(None);

        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
        Assert.Equal(2, Misses(tokens));
    }

    [Fact]
    public async Task ATamperedAccessTokenIsRefusedEvenThoughTheGenuineOneIsCached()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);
        string token = pair.AccessToken;
        string tampered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        TesseraError? error = (await tokens.ValidateAsync(tampered)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, error?.Reason);
        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
    }

    [Fact]
    public async Task ACachedAccessTokenIsStillCheckedAgainstTheIssuerOfEachRequest()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        await CachedAsync(tokens, pair.AccessToken);

        TesseraError? error = (await tokens.Tokens.ValidateAccessTokenAsync(pair.AccessToken, TokenHarness.Home, "https://other.example.test", None)).Error;

        Assert.Equal(JoseErrorCodes.IssuerInvalid, error?.Reason);
        Assert.Equal(2, Misses(tokens));
    }

    [Fact]
    public async Task WithTheCacheTurnedOffEveryAccessTokenIsValidatedInFull()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { VerifiedTokenCacheEntries = 0 });
        IssuedTokens pair = await tokens.SignInAsync();

        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
        Assert.Null(tokens.Tokens.AccessTokens.Cache);
    }

    [Fact]
    public void NegativeCacheBoundsAreAProblem()
    {
        Assert.NotNull(new TesseraTokenOptions { VerifiedTokenCacheEntries = -1 }.Problem());
        Assert.NotNull(new TesseraTokenOptions { VerifiedTokenCacheBytes = 0 }.Problem());
        Assert.Null(new TesseraTokenOptions { VerifiedTokenCacheEntries = 0, VerifiedTokenCacheBytes = 0 }.Problem());
    }
}
