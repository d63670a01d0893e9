using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>The ring keeps a key per configured algorithm (access tokens, ID tokens), each rotated on its own schedule.</summary>
public class SigningKeysPerAlgorithmTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TesseraTokenOptions Schedule = new()
    {
        KeyRotationInterval = TimeSpan.FromDays(30),
        KeyPublicationLead = TimeSpan.FromHours(1),
        KeyRingRefreshInterval = TimeSpan.FromMinutes(1),
        AccessTokenLifetime = TimeSpan.FromMinutes(15),
    };

    [Fact]
    public async Task EveryConfiguredAlgorithmGetsAKeyPublishedWithItsAlgUseAndKid()
    {
        using var ring = Ring(new InMemorySigningKeyStore(), Schedule with { Algorithm = "ES384", IdTokenAlgorithms = ["RS256", "ES256", "EdDSA"] }, new FakeTimeProvider());

        KeyRingSnapshot keys = await ring.GetAsync(None);

        Assert.Equal(["ES256", "ES384", "EdDSA", "RS256"], keys.SigningAlgorithms.Order(StringComparer.Ordinal));
        Assert.Equal("ES384", keys.SigningKey.Algorithm);
        Assert.Equal(4, keys.Published.Keys.Count);
        foreach (string alg in keys.SigningAlgorithms)
        {
            Jwk signing = keys.SigningKeyFor(alg);
            Jwk published = Assert.Single(keys.Published.Keys, k => k.KeyId == signing.KeyId);
            Assert.Equal((alg, "sig", signing.Thumbprint), (published.Algorithm, published.Use, published.KeyId));
            Assert.True(signing.HasPrivateKey);
            Assert.False(published.HasPrivateKey);
        }
    }

    [Fact]
    public async Task AnAlgorithmTheRingKeepsNoKeyForIsAClearMistake()
    {
        using var ring = Ring(new InMemorySigningKeyStore(), Schedule, new FakeTimeProvider());
        KeyRingSnapshot keys = await ring.GetAsync(None);

        ArgumentException refused = Assert.Throws<ArgumentException>(() => keys.SigningKeyFor("PS512"));
        Assert.Contains("IdTokenAlgorithms", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await ring.RotateAsync("HS256", immediately: true, None));
    }

    [Fact]
    public async Task ARingStoredBeforeIdTokensGetsTheirKeysOnFirstUseAndKeepsItsKey()
    {
        var store = new InMemorySigningKeyStore();
        var time = new FakeTimeProvider(Start);
        string before;
        // What the ring held before ID tokens: one ES256 key and the refresh secret.
        using (var old = Ring(store, Schedule with { IdTokenAlgorithms = ["ES256"] }, time))
        {
            before = (await old.GetAsync(None)).SigningKey.KeyId!;
        }

        Assert.Single(await store.ListAsync(None), k => k.Use == SigningKeyUses.Signing);
        time.Advance(TimeSpan.FromDays(2));
        using var ring = Ring(store, Schedule, time);
        KeyRingSnapshot keys = await ring.GetAsync(None);

        Assert.Equal(before, keys.SigningKey.KeyId);
        Assert.Equal("RS256", keys.SigningKeyFor("RS256").Algorithm);
        SigningKeyRecord added = Assert.Single(await store.ListAsync(None), k => k.Algorithm == "RS256");
        Assert.Equal(time.GetUtcNow(), added.ActivatesAt); // nothing could sign RS256 yet: it signs at once
        Assert.Equal(2, keys.Published.Keys.Count);
    }

    [Fact]
    public async Task EachAlgorithmRotatesOnItsOwnSchedule()
    {
        var store = new InMemorySigningKeyStore();
        var time = new FakeTimeProvider(Start);
        using var ring = Ring(store, Schedule, time);
        KeyRingSnapshot first = await ring.GetAsync(None);
        string es256 = first.SigningKey.KeyId!;
        string rs256 = first.SigningKeyFor("RS256").KeyId!;

        // Day 10: the RS256 key is retired by hand; a new one signs at once, ES256 is untouched.
        time.Advance(TimeSpan.FromDays(10));
        Assert.True(await store.RetireAsync(rs256, time.GetUtcNow(), None));
        time.Advance(TimeSpan.FromMinutes(1));
        KeyRingSnapshot day10 = await ring.GetAsync(None);
        string rs256Next = day10.SigningKeyFor("RS256").KeyId!;
        Assert.NotEqual(rs256, rs256Next);
        Assert.Equal(es256, day10.SigningKey.KeyId);

        // The retired key stays published until the tokens it signed expired (15 minutes + 1).
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.DoesNotContain((await ring.GetAsync(None)).Published.Keys, k => k.KeyId == rs256);

        // Day 30 minus the lead: ES256's successor is published; RS256's is not due before day 40.
        time.SetUtcNow(Start.AddDays(30) - TimeSpan.FromHours(1));
        KeyRingSnapshot day30 = await ring.GetAsync(None);
        Assert.Equal(["ES256", "ES256", "RS256"], day30.Published.Keys.Select(k => k.Algorithm!).Order(StringComparer.Ordinal));
        time.Advance(TimeSpan.FromHours(1));
        KeyRingSnapshot switched = await ring.GetAsync(None);
        Assert.NotEqual(es256, switched.SigningKey.KeyId);
        Assert.Equal(rs256Next, switched.SigningKeyFor("RS256").KeyId);

        time.SetUtcNow(Start.AddDays(40).AddMinutes(1) - TimeSpan.FromHours(1));
        Assert.Equal(2, (await ring.GetAsync(None)).Published.Keys.Count(k => k.Algorithm == "RS256"));
    }

    [Fact]
    public async Task AKeyStaysPublishedForTheLongerOfTheTwoTokenLifetimes()
    {
        var store = new InMemorySigningKeyStore();
        var time = new FakeTimeProvider(Start);
        using var ring = Ring(store, Schedule with { IdTokenLifetime = TimeSpan.FromMinutes(30) }, time);
        string rs256 = (await ring.GetAsync(None)).SigningKeyFor("RS256").KeyId!;
        Assert.True(await store.RetireAsync(rs256, time.GetUtcNow(), None));

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Contains((await ring.GetAsync(None)).Published.Keys, k => k.KeyId == rs256);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain((await ring.GetAsync(None)).Published.Keys, k => k.KeyId == rs256);
    }

    [Fact]
    public async Task EnsureReadableOpensTheKeyOfEveryAlgorithm()
    {
        var store = new InMemorySigningKeyStore();
        var time = new FakeTimeProvider();
        using (var maker = Ring(store, Schedule, time))
        {
            await maker.GetAsync(None);
        }

        // Another instance adds only a RS256 key, signing a second later, protected by Data Protection keys this one lacks.
        await store.TryAddAsync(ForeignKey("RS256", time.GetUtcNow().AddSeconds(1)), None);
        time.Advance(TimeSpan.FromSeconds(2));
        using var ring = Ring(store, Schedule, time);
        KeyRingSnapshot keys = await ring.GetAsync(None);

        Assert.NotNull(keys.SigningKey); // the access-token key is readable
        Assert.Throws<KeyRingUnavailableException>(keys.EnsureReadable);
    }

    [Fact]
    public void OptionsHoldAsymmetricIdTokenAlgorithmsOnly()
    {
        var defaults = new TesseraTokenOptions();

        Assert.Equal(["RS256", "ES256"], defaults.IdTokenSigningAlgorithms);
        Assert.Equal(["ES256", "RS256"], defaults.SigningAlgorithms);
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.IdTokenLifetime);
        Assert.Null(defaults.Problem());
        Assert.Equal(["EdDSA", "RS256"], (defaults with { IdTokenAlgorithms = ["EdDSA", "RS256", "EdDSA"] }).IdTokenSigningAlgorithms);
        Assert.NotNull((defaults with { IdTokenAlgorithms = [] }).Problem());
        Assert.NotNull((defaults with { IdTokenAlgorithms = ["RS256", "HS256"] }).Problem());
        Assert.NotNull((defaults with { IdTokenAlgorithms = ["RS257"] }).Problem());
        Assert.NotNull((defaults with { IdTokenLifetime = TimeSpan.Zero }).Problem());
    }

    private static SigningKeyRing Ring(ISigningKeyStore store, TesseraTokenOptions options, TimeProvider time) =>
        new(store, new PrefixSecretProtector(), options, time);

    private static SigningKeyRecord ForeignKey(string alg, DateTimeOffset now)
    {
        Jwk key = Jwk.Generate(alg);
        return new SigningKeyRecord
        {
            KeyId = key.Thumbprint,
            Use = SigningKeyUses.Signing,
            Algorithm = alg,
            PublicJwk = key.ToPublicJwk().ToJson(),
            ProtectedPrivate = new PrefixSecretProtector("another instance").Protect(key.ToJson(includePrivate: true)),
            CreatedAt = now,
            ActivatesAt = now,
        };
    }
}
