using Tessera.InMemory;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class SigningKeyRingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly TesseraTokenOptions Schedule = new()
    {
        KeyRotationInterval = TimeSpan.FromDays(30),
        KeyPublicationLead = TimeSpan.FromHours(1),
        KeyRingRefreshInterval = TimeSpan.FromMinutes(1),
        AccessTokenLifetime = TimeSpan.FromMinutes(15),
    };

    [Fact]
    public async Task FirstReadMakesASigningKeyThatSignsAtOnceAndARefreshSecret()
    {
        var store = new InMemorySigningKeyStore();
        using var ring = new SigningKeyRing(store, new PrefixSecretProtector(), Schedule, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());

        KeyRingSnapshot keys = await ring.GetAsync(None);

        IReadOnlyList<SigningKeyRecord> stored = await store.ListAsync(None);
        // One key per algorithm: ES256 signs access tokens (and ID tokens), RS256 ID tokens.
        Assert.Equal(["ES256", "RS256"], stored.Where(k => k.Use == SigningKeyUses.Signing).Select(k => k.Algorithm).Order(StringComparer.Ordinal));
        Assert.Single(stored, k => k.Use == SigningKeyUses.RefreshDerivation && k.PublicJwk is null);
        Assert.Equal(
            stored.Where(k => k.Use == SigningKeyUses.Signing).Select(k => k.KeyId).Order(StringComparer.Ordinal),
            keys.Published.Keys.Select(k => k.KeyId!).Order(StringComparer.Ordinal));
        Assert.Equal("ES256", keys.SigningKey.Algorithm);
        Assert.Equal(keys.SigningKey.KeyId, keys.SigningKeyFor("ES256").KeyId);
        Assert.Equal(32, keys.RefreshSecret.Length);
    }

    [Fact]
    public async Task NextKeyIsPublishedAPublicationLeadBeforeItSigns()
    {
        using var tokens = new TokenHarness(tokenOptions: Schedule);
        string first = (await tokens.Keys.GetAsync(None)).SigningKey.KeyId!;

        tokens.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
        KeyRingSnapshot published = await tokens.Keys.GetAsync(None);
        string second = Assert.Single(published.Published.Keys, k => k.KeyId != first && k.Algorithm == "ES256").KeyId!;

        Assert.Equal(first, published.SigningKey.KeyId);
        tokens.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, (await tokens.Keys.GetAsync(None)).SigningKey.KeyId);
        tokens.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(second, (await tokens.Keys.GetAsync(None)).SigningKey.KeyId);
    }

    [Fact]
    public async Task KeyThatStoppedSigningStaysPublishedUntilItsLastTokenHasExpired()
    {
        using var tokens = new TokenHarness(tokenOptions: Schedule);
        string first = (await tokens.Keys.GetAsync(None)).SigningKey.KeyId!;
        tokens.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
        await tokens.Keys.GetAsync(None);
        tokens.Time.Advance(TimeSpan.FromHours(1));
        Assert.NotEqual(first, (await tokens.Keys.GetAsync(None)).SigningKey.KeyId);

        tokens.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Contains((await tokens.Keys.GetAsync(None)).Published.Keys, k => k.KeyId == first);
        tokens.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain((await tokens.Keys.GetAsync(None)).Published.Keys, k => k.KeyId == first);
    }

    [Fact]
    public async Task TokenSignedByAKeyAnotherInstanceJustAddedVerifiesAfterOneReread()
    {
        using var one = new TokenHarness(tokenOptions: Schedule);
        using var two = new TokenHarness(tokenOptions: Schedule, store: one.Store, keyStore: one.KeyStore, time: one.Time);
        await one.Keys.GetAsync(None);
        await two.Keys.GetAsync(None);
        one.Time.Advance(TimeSpan.FromSeconds(1));

        SigningKeyRecord added = await two.Keys.RotateAsync(immediately: true, None);
        IssuedTokens pair = await two.SignInAsync();

        Assert.DoesNotContain((await one.Keys.GetAsync(None)).Published.Keys, k => k.KeyId == added.KeyId);
        Assert.True((await one.ValidateAsync(pair.AccessToken)).Succeeded);
        Assert.Contains((await one.Keys.GetAsync(None)).Published.Keys, k => k.KeyId == added.KeyId);
    }

    [Fact]
    public async Task MadeUpKeyIdsCauseAtMostOneStoreReadPerRereadInterval()
    {
        var keyStore = new CountingSigningKeyStore();
        using var tokens = new TokenHarness(tokenOptions: Schedule, keyStore: keyStore);
        using var stranger = new TokenHarness(tokenOptions: Schedule, time: tokens.Time);
        IssuedTokens foreign = await stranger.SignInAsync();
        await tokens.Keys.GetAsync(None);
        int before = keyStore.Reads;

        for (int i = 0; i < 5; i++)
        {
            await tokens.ValidateAsync(foreign.AccessToken);
        }

        Assert.Equal(before + 1, keyStore.Reads);
        tokens.Time.Advance(SigningKeyRing.MinimumRereadInterval);
        await tokens.ValidateAsync(foreign.AccessToken);
        Assert.Equal(before + 2, keyStore.Reads);
    }

    [Fact]
    public async Task RefreshSecretRotatesOnTheKeyScheduleAndThePreviousOneStillAnswersTheGraceWindow()
    {
        using var tokens = new TokenHarness(tokenOptions: Schedule with { KeyRotationInterval = TimeSpan.FromHours(2), KeyRingRefreshInterval = TimeSpan.Zero, ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens first = await tokens.SignInAsync();
        byte[] before = (await tokens.Keys.GetAsync(None)).RefreshSecret;
        tokens.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(2));
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken); // derived under the first secret

        tokens.Time.Advance(TimeSpan.FromSeconds(3));
        KeyRingSnapshot rotated = await tokens.Keys.GetAsync(None);
        Outcome<IssuedTokens> grace = await tokens.RefreshAsync(first.RefreshToken);

        Assert.NotEqual(before, rotated.RefreshSecret);
        Assert.Equal(before, rotated.PreviousRefreshSecret);
        Assert.True(grace.Succeeded);
        Assert.Equal(second.Value!.RefreshToken, grace.Value.RefreshToken);
    }

    [Fact]
    public async Task KeyThisInstanceCannotDecryptBlocksSigningButNotPublication()
    {
        var store = new InMemorySigningKeyStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using (var maker = new SigningKeyRing(store, new PrefixSecretProtector("first"), Schedule, time))
        {
            await maker.GetAsync(None);
        }

        using var ring = new SigningKeyRing(store, new PrefixSecretProtector("second"), Schedule, time);
        KeyRingSnapshot keys = await ring.GetAsync(None);

        Assert.Equal(2, keys.Published.Keys.Count);
        KeyRingUnavailableException unreadable = Assert.Throws<KeyRingUnavailableException>(() => keys.SigningKey);
        Assert.Equal(Assert.Single(keys.Published.Keys, k => k.Algorithm == "ES256").KeyId, unreadable.KeyId);
        Assert.Throws<KeyRingUnavailableException>(keys.EnsureReadable);
    }

    [Fact]
    public async Task TokenSignInWithAnUnreadableRingLeavesNoSessionBehind()
    {
        var store = new InMemorySigningKeyStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using (var maker = new SigningKeyRing(store, new PrefixSecretProtector("another instance"), Schedule, time))
        {
            await maker.GetAsync(None);
        }

        using var tokens = new TokenHarness(keyStore: store, time: time);

        await Assert.ThrowsAsync<KeyRingUnavailableException>(async () => await tokens.SignInAsync());
        Assert.Empty(await tokens.Sessions.ListAsync("user-1", None));
    }
}
