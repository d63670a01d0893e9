using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class RefreshRotationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RefreshGivesANewPairAndOnlyTheNewRefreshTokenIsCurrent()
    {
        using var tokens = new TokenHarness();
        IssuedTokens first = await tokens.SignInAsync();

        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);

        Assert.True(second.Succeeded);
        Assert.NotEqual(first.RefreshToken, second.Value.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.Value.AccessToken);
        Assert.Equal(first.Session.Handle, second.Value.Session.Handle);
        Assert.Null(await tokens.Tokens.InspectRefreshTokenAsync(first.RefreshToken, None));
        Assert.Equal(first.Session.Handle, (await tokens.Tokens.InspectRefreshTokenAsync(second.Value.RefreshToken, None))?.Handle);
    }

    [Fact]
    public async Task RefreshRotatesAndTouchesInOneStoreWrite()
    {
        var store = new ObservedSessionStore();
        using var tokens = new TokenHarness(store: store);
        IssuedTokens first = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromHours(5));

        Assert.True((await tokens.RefreshAsync(first.RefreshToken)).Succeeded);

        Assert.Equal(1, store.Rotations);
        Assert.Equal(0, store.Touches);
        SessionRecord stored = await tokens.StoredAsync(first.Session.Handle);
        Assert.Equal(tokens.Time.GetUtcNow(), stored.LastSeenAt);
        Assert.Equal(tokens.Time.GetUtcNow(), stored.SecretRotatedAt);
        Assert.Equal(tokens.Time.GetUtcNow() + tokens.TokenOptions.RefreshIdleLifetime, stored.IdleExpiresAt);
    }

    [Fact]
    public async Task RefreshNeverSlidesTheIdleExpiryPastTheAbsoluteExpiry()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { RefreshIdleLifetime = TimeSpan.FromDays(10), RefreshAbsoluteLifetime = TimeSpan.FromDays(12) });
        IssuedTokens first = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromDays(5));

        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);

        Assert.Equal(first.Session.AbsoluteExpiresAt, second.Value!.Session.IdleExpiresAt);
        Assert.Equal(first.Session.AbsoluteExpiresAt, (await tokens.StoredAsync(first.Session.Handle)).IdleExpiresAt);
    }

    [Fact]
    public async Task RefreshReadsTheKeyRingOnce()
    {
        var keyStore = new CountingSigningKeyStore();
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { KeyRingRefreshInterval = TimeSpan.Zero }, keyStore: keyStore);
        IssuedTokens first = await tokens.SignInAsync();
        int before = keyStore.Reads;

        Assert.True((await tokens.RefreshAsync(first.RefreshToken)).Succeeded);

        Assert.Equal(before + 1, keyStore.Reads);
    }

    [Fact]
    public async Task PreviousRefreshTokenWithinTheGraceWindowGetsTheSameNextToken()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);
        tokens.Time.Advance(TimeSpan.FromSeconds(5));

        Outcome<IssuedTokens> again = await tokens.RefreshAsync(first.RefreshToken);

        Assert.True(again.Succeeded);
        Assert.Equal(second.Value!.RefreshToken, again.Value.RefreshToken);
        Assert.False((await tokens.StoredAsync(first.Session.Handle)).IsRevoked);
        Assert.True((await tokens.RefreshAsync(second.Value.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task PreviousRefreshTokenAfterTheGraceWindowIsReuseAndEndsTheSession()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);
        tokens.Time.Advance(TimeSpan.FromSeconds(6));

        Outcome<IssuedTokens> replayed = await tokens.RefreshAsync(first.RefreshToken);

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, replayed.Error?.Code);
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await tokens.StoredAsync(first.Session.Handle)).RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(second.Value!.RefreshToken)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.ValidateAsync(second.Value.AccessToken)).Error?.Code);
    }

    [Fact]
    public async Task AnOlderGenerationIsReuseEvenWithinTheGraceWindow()
    {
        using var tokens = new TokenHarness();
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);
        Assert.True((await tokens.RefreshAsync(second.Value!.RefreshToken)).Succeeded);

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, (await tokens.RefreshAsync(first.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task TheLoserOfARefreshRaceGetsTheWinnersTokenAsTheGraceAnswer()
    {
        var store = new ObservedSessionStore();
        using var tokens = new TokenHarness(store: store);
        using var otherInstance = new TokenHarness(store: store.Inner, keyStore: tokens.KeyStore, time: tokens.Time);
        IssuedTokens first = await tokens.SignInAsync();
        IssuedTokens? winner = null;
        store.BeforeNextRotation = async () => winner = (await otherInstance.RefreshAsync(first.RefreshToken)).Value;

        Outcome<IssuedTokens> loser = await tokens.RefreshAsync(first.RefreshToken);

        Assert.NotNull(winner);
        Assert.True(loser.Succeeded);
        Assert.Equal(winner.RefreshToken, loser.Value.RefreshToken);
        Assert.False((await tokens.StoredAsync(first.Session.Handle)).IsRevoked);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a refresh token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task UnknownRefreshTokenIsAnInvalidGrant(string presented)
    {
        using var tokens = new TokenHarness();
        await tokens.SignInAsync();

        Assert.Equal(TesseraErrorCodes.InvalidGrant, (await tokens.RefreshAsync(presented)).Error?.Code);
    }

    [Fact]
    public async Task SessionCookieSecretIsNotARefreshToken()
    {
        using var tokens = new TokenHarness();
        IssuedSession cookie = await tokens.Sessions.CreateAsync("user-1", TokenHarness.Home, None);

        Assert.Equal(TesseraErrorCodes.InvalidGrant, (await tokens.RefreshAsync(cookie.Secret)).Error?.Code);
    }

    [Fact]
    public async Task RefreshAfterTheIdleLifetimeFindsTheSessionExpired()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { RefreshIdleLifetime = TimeSpan.FromDays(1), RefreshAbsoluteLifetime = TimeSpan.FromDays(30) });
        IssuedTokens first = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(TesseraErrorCodes.SessionExpired, (await tokens.RefreshAsync(first.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task RevokingWithTheCurrentOrThePreviousRefreshTokenEndsTheSession()
    {
        using var tokens = new TokenHarness();
        IssuedTokens phone = await tokens.SignInAsync();
        IssuedTokens laptop = await tokens.SignInAsync();
        Outcome<IssuedTokens> laptopNext = await tokens.RefreshAsync(laptop.RefreshToken);

        Assert.True(await tokens.Tokens.RevokeAsync(phone.RefreshToken, None));
        Assert.True(await tokens.Tokens.RevokeAsync(laptop.RefreshToken, None));

        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(phone.RefreshToken)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(laptopNext.Value!.RefreshToken)).Error?.Code);
        Assert.False(await tokens.Tokens.RevokeAsync("not a refresh token", None));
    }
}
