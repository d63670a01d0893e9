using Microsoft.Extensions.Time.Testing;
using Tessera.Keys;

namespace Tessera.Stores.Conformance;

/// <summary>What every <see cref="ISigningKeyStore"/> must do.</summary>
public abstract class SigningKeyStoreConformanceTests : IAsyncLifetime
{
    private ISigningKeyStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected ISigningKeyStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected abstract ValueTask<ISigningKeyStore> CreateStoreAsync();

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private SigningKeyRecord Key(string kid, TimeSpan activatesIn) => new()
    {
        KeyId = kid,
        Use = SigningKeyUses.Signing,
        Algorithm = "ES256",
        PublicJwk = "{\"kty\":\"EC\"}",
        ProtectedPrivate = "protected:" + kid,
        CreatedAt = Clock.Now(Time),
        ActivatesAt = Clock.Now(Time) + activatesIn,
    };

    [Fact]
    public async Task AnAddedKeyReadsBackWithEveryField()
    {
        SigningKeyRecord key = Key("kid-1", TimeSpan.FromHours(1));

        Assert.True(await Store.TryAddAsync(key, None));

        SigningKeyRecord stored = Assert.Single(await Store.ListAsync(None));
        Assert.Equal(key, stored);
    }

    [Fact]
    public async Task ASecondKeyWithTheSameIdIsRefusedAndTheFirstStays()
    {
        await Store.TryAddAsync(Key("kid-1", TimeSpan.Zero), None);

        Assert.False(await Store.TryAddAsync(Key("kid-1", TimeSpan.FromDays(1)) with { ProtectedPrivate = "other" }, None));

        Assert.Equal("protected:kid-1", Assert.Single(await Store.ListAsync(None)).ProtectedPrivate);
    }

    [Fact]
    public async Task KeysAreListedOldestFirst()
    {
        await Store.TryAddAsync(Key("b", TimeSpan.Zero), None);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.TryAddAsync(Key("a", TimeSpan.Zero), None);

        Assert.Equal(["b", "a"], (await Store.ListAsync(None)).Select(k => k.KeyId));
    }

    [Fact]
    public async Task RetiringAKeyRecordsWhenAndOnlyOnce()
    {
        await Store.TryAddAsync(Key("kid-1", TimeSpan.Zero), None);
        DateTimeOffset first = Clock.Now(Time);

        Assert.True(await Store.RetireAsync("kid-1", first, None));
        Assert.False(await Store.RetireAsync("kid-1", first.AddHours(1), None));
        Assert.False(await Store.RetireAsync("unknown", first, None));

        Assert.Equal(first, Assert.Single(await Store.ListAsync(None)).RetiresAt);
    }
}
