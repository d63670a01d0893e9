using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Telemetry;

namespace Tessera.Tests.Sessions.Changes;

public sealed class NearCachedSessionStoreTests
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly CountingSessionStore _store = new();
    private readonly TestFeed _feed = new(Staleness);
    private readonly SessionNearCacheOptions _options = new() { EntryLifetime = TimeSpan.FromSeconds(30), MaxEntries = 100 };

    private NearCachedSessionStore Cache() => NearCachedSessionStore.Create(_store, _feed, _options, _time);

    private SessionService Sessions(ISessionStore store) => new(store, new TesseraSessionOptions(), _time);

    [Fact]
    public async Task ASecondReadIsAnsweredFromMemory()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(cache).CreateAsync("user-1", Laptop, None);

        Assert.True((await Sessions(cache).ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        int afterFirst = _store.Reads;
        Assert.True((await Sessions(cache).ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        Assert.NotNull(await cache.FindByHandleAsync(issued.Session.Handle, None));

        Assert.Equal(1, afterFirst);
        Assert.Equal(afterFirst, _store.Reads);
    }

    [Fact]
    public async Task NothingIsAnsweredFromMemoryBeforeTheFeedFirstConnects()
    {
        NearCachedSessionStore cache = Cache();
        IssuedSession issued = await Sessions(cache).CreateAsync("user-1", Laptop, None);

        await cache.FindByHandleAsync(issued.Session.Handle, None);
        await cache.FindByHandleAsync(issued.Session.Handle, None);

        Assert.False(cache.AnswersLocally);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task ASessionRevokedOnThisInstanceIsRefusedOnTheNextRequest()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        SessionService sessions = Sessions(cache);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, None);
        Assert.True((await sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        // No change arrives on the feed: this instance must not need it.
        await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        SessionValidation after = await sessions.ValidateAsync(issued.Secret, Laptop, None);
        Assert.False(after.Succeeded);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, after.Error!.Code);
    }

    [Fact]
    public async Task EveryUserSessionRevokedOnThisInstanceIsRefusedOnTheNextRequest()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        SessionService sessions = Sessions(cache);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, None);
        Assert.True((await sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        await ((ISessionListing)cache).RevokeAllForUserAsync("user-1", null, _time.GetUtcNow(), RevocationReasons.SignedOut, None);

        Assert.False((await sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task ARevocationElsewhereIsRefusedHereOnceTheFeedSaysSo()
    {
        NearCachedSessionStore here = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(_store).CreateAsync("user-1", Laptop, None);
        Assert.True((await Sessions(here).ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        // Another instance revokes in the shared store, and the store announces it.
        await _store.RevokeAsync(issued.Session.Handle, _time.GetUtcNow(), RevocationReasons.SignedOut, None);
        _feed.Push(new SessionChange(SessionChangeKind.Revoked, issued.Session.Handle, "user-1"));

        Assert.False((await Sessions(here).ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task OnceTheFeedIsLostLongerThanItsStalenessEveryReadGoesToTheStore()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(cache).CreateAsync("user-1", Laptop, None);
        await cache.FindByHandleAsync(issued.Session.Handle, None);
        int reads = _store.Reads;

        _feed.Disconnect();
        _time.Advance(Staleness);
        await cache.FindByHandleAsync(issued.Session.Handle, None);
        Assert.Equal(reads, _store.Reads); // within the bound: still from memory

        _time.Advance(TimeSpan.FromMilliseconds(1));
        // A revocation elsewhere that this instance could not hear of:
        await _store.RevokeAsync(issued.Session.Handle, _time.GetUtcNow(), RevocationReasons.SignedOut, None);
        SessionRecord? found = await cache.FindByHandleAsync(issued.Session.Handle, None);

        Assert.False(cache.AnswersLocally);
        Assert.Equal(reads + 1, _store.Reads);
        Assert.True(found!.IsRevoked);
    }

    [Fact]
    public async Task AResetDropsEverythingHeld()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(cache).CreateAsync("user-1", Laptop, None);
        await cache.FindByHandleAsync(issued.Session.Handle, None);
        await _store.RevokeAsync(issued.Session.Handle, _time.GetUtcNow(), RevocationReasons.SignedOut, None);

        _feed.Connect(); // reconnected: changes may have been missed

        Assert.Equal(0, cache.Count);
        Assert.True((await cache.FindByHandleAsync(issued.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task AReadThatRacedAnInvalidationDoesNotPutTheOldRecordBack()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(_store).CreateAsync("user-1", Laptop, None);
        var release = new TaskCompletionSource();
        _store.HoldNextRead = release;

        // The read has the record (not revoked) in hand when the revocation happens and is announced.
        Task<SessionRecord?> read = cache.FindByHandleAsync(issued.Session.Handle, None).AsTask();
        await _store.RevokeAsync(issued.Session.Handle, _time.GetUtcNow(), RevocationReasons.SignedOut, None);
        _feed.Push(new SessionChange(SessionChangeKind.Revoked, issued.Session.Handle));
        release.SetResult();
        Assert.False((await read)!.IsRevoked);

        Assert.True((await cache.FindByHandleAsync(issued.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task OfTwoInstancesRotatingTheSameSecretExactlyOneWinsAndBothSeeTheWinner()
    {
        NearCachedSessionStore a = Cache();
        NearCachedSessionStore b = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(_store).CreateAsync("user-1", Laptop, None);
        // Both hold the record with the old secret.
        await a.FindBySecretHashAsync(issued.Session.SecretHash, None);
        await b.FindBySecretHashAsync(issued.Session.SecretHash, None);
        byte[] fromA = [.. Enumerable.Repeat((byte)1, 32)];
        byte[] fromB = [.. Enumerable.Repeat((byte)2, 32)];
        DateTimeOffset now = _time.GetUtcNow();

        bool[] won = await Task.WhenAll(
            ((ISessionSecretRotation)a).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, fromA, now, now.AddHours(1), None).AsTask(),
            ((ISessionSecretRotation)b).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, fromB, now, now.AddHours(1), None).AsTask());

        Assert.Single(won, w => w);
        byte[] winner = won[0] ? fromA : fromB;
        Assert.Equal(winner, (await a.FindByHandleAsync(issued.Session.Handle, None))!.SecretHash.ToArray());
        Assert.Equal(winner, (await b.FindByHandleAsync(issued.Session.Handle, None))!.SecretHash.ToArray());
        Assert.Null(await a.FindBySecretHashAsync(issued.Session.SecretHash, None));
        Assert.Null(await b.FindBySecretHashAsync(issued.Session.SecretHash, None));
    }

    [Fact]
    public async Task ATouchHereMovesTheHeldCopyForward()
    {
        NearCachedSessionStore cache = Cache();
        _feed.Connect();
        IssuedSession issued = await Sessions(cache).CreateAsync("user-1", Laptop, None);
        await cache.FindByHandleAsync(issued.Session.Handle, None);
        int reads = _store.Reads;
        DateTimeOffset later = _time.GetUtcNow().AddMinutes(1);

        await cache.TouchAsync(issued.Session.Handle, later, later.AddMinutes(30), None);

        SessionRecord? held = await cache.FindByHandleAsync(issued.Session.Handle, None);
        Assert.Equal(later, held!.LastSeenAt);
        Assert.Equal(reads, _store.Reads);
    }

    [Fact]
    public async Task AnEntryLivesNoLongerThanItsLifetimeAndTheCacheHoldsNoMoreThanItsBound()
    {
        NearCachedSessionStore cache = NearCachedSessionStore.Create(_store, _feed, _options with { MaxEntries = 8 }, _time);
        _feed.Connect();
        List<IssuedSession> issued = [];
        for (int i = 0; i < 20; i++)
        {
            issued.Add(await Sessions(_store).CreateAsync($"user-{i}", Laptop, None));
            await cache.FindByHandleAsync(issued[^1].Session.Handle, None);
        }

        Assert.InRange(cache.Count, 1, 8);

        int reads = _store.Reads;
        await cache.FindByHandleAsync(issued[^1].Session.Handle, None);
        Assert.Equal(reads, _store.Reads);
        _time.Advance(_options.EntryLifetime);
        await cache.FindByHandleAsync(issued[^1].Session.Handle, None);
        Assert.Equal(reads + 1, _store.Reads);
    }

    [Fact]
    public void AStoreWithOnlySomeCapabilitiesIsRefused() =>
        Assert.Throws<NotSupportedException>(() => NearCachedSessionStore.Create(new ListingOnly(), _feed, _options, _time));

    [Fact]
    public void TheCacheKeepsTheWrappedStoresCapabilities()
    {
        NearCachedSessionStore cache = Cache();
        Assert.IsAssignableFrom<ISessionListing>(cache);
        Assert.IsAssignableFrom<ISessionSecretRotation>(cache);
        Assert.IsAssignableFrom<ISessionAttributeStore>(cache);
        Assert.IsAssignableFrom<ISessionCleanup>(cache);
    }

    [Fact]
    public async Task TheCacheCountsActiveSessionsExactlyWhenTheWrappedStoreDoes()
    {
        var counting = new InMemorySessionStore();
        NearCachedSessionStore cache = NearCachedSessionStore.Create(counting, _feed, _options, _time);
        _feed.Connect();
        await Sessions(cache).CreateAsync("user-1", Laptop, None);
        IssuedSession revoked = await Sessions(cache).CreateAsync("user-1", Laptop, None);
        await Sessions(cache).RevokeAsync(revoked.Session.Handle, RevocationReasons.SignedOut, None);
        // Created behind the cache's back, as another instance would: the count is the store's, not what is held.
        await Sessions(counting).CreateAsync("user-2", Laptop, None);

        var count = Assert.IsAssignableFrom<IActiveSessionCount>(cache);
        Assert.Equal(2, await count.CountActiveSessionsAsync(_time.GetUtcNow(), None));
        Assert.IsAssignableFrom<ISessionCleanup>(cache);
        Assert.False(Cache() is IActiveSessionCount, "The wrapped store cannot count: neither can the cache.");
    }

    private sealed class ListingOnly : ISessionStore, ISessionListing
    {
        public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotImplementedException();
        public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) => throw new NotImplementedException();
    }
}
