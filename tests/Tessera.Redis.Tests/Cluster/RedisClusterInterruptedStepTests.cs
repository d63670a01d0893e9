using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// On a cluster a cross-slot operation is several one-slot steps, so an index can be stale for a
/// moment, or for good when a step never comes (a crash, a failover). These tests write such
/// states by hand and check that the record decides: a stale index never leads to a session.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterInterruptedStepTests(RedisClusterFixture cluster)
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static CancellationToken None => CancellationToken.None;

    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private RedisKeys Keys => new(_prefix, cluster: true);

    private IDatabase Database => cluster.Connection.GetDatabase();

    private RedisSessionStore NewStore() => new(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true }, _time);

    [Fact]
    public async Task BetweenARotationsSwapAndItsIndexMoveTheOldSecretFindsNothingButIsToldReuse()
    {
        RedisSessionStore store = NewStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        byte[] next = SessionSecret.Generate().Hash;
        Assert.True(await store.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, _time.GetUtcNow(), issued.Session.IdleExpiresAt, null, None));

        // The state after step 2 (the swap on the record) and before steps 3 and 4 (the indexes).
        string old = RedisSessionCodec.Hash(issued.Session.SecretHash.Span);
        Assert.True(await Database.StringSetAsync(Keys.Current(old), issued.Session.Handle));
        Assert.True(await Database.KeyDeleteAsync(Keys.Previous(old)));

        Assert.Null(await store.FindBySecretHashAsync(issued.Session.SecretHash, None));
        Assert.Equal(issued.Session.Handle, (await store.FindBySecretHashAsync(next, None))?.Handle);
        Assert.Equal(issued.Session.Handle, (await store.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
    }

    [Fact]
    public async Task AUserIndexEntryNamingAnotherUsersSessionIsNeitherListedNorRevoked()
    {
        RedisSessionStore store = NewStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);
        IssuedSession mine = await sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession theirs = await sessions.CreateAsync("user-2", Laptop, None);
        // What a create that lost its handle to an existing session leaves in the user's index.
        Assert.True(await Database.SortedSetAddAsync(Keys.User("user-1"), theirs.Session.Handle, _time.GetUtcNow().AddDays(30).ToUnixTimeMilliseconds()));

        IReadOnlyList<SessionRecord> listed = await store.ListActiveForUserAsync("user-1", _time.GetUtcNow(), None);
        Assert.Equal([mine.Session.Handle], listed.Select(s => s.Handle));
        Assert.Equal(1, await store.RevokeAllForUserAsync("user-1", null, _time.GetUtcNow(), RevocationReasons.SignedOut, None));
        Assert.False((await store.FindByHandleAsync(theirs.Session.Handle, None))!.IsRevoked);
        Assert.True((await store.FindByHandleAsync(mine.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task ACreateRefusedForATakenHandleGivesItsSecretBack()
    {
        RedisSessionStore store = NewStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);
        IssuedSession first = await sessions.CreateAsync("user-1", Laptop, None);
        SessionRecord copy = first.Session with { SecretHash = SessionSecret.Generate().Hash, UserId = "user-2" };

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(copy, None));

        Assert.False(await Database.KeyExistsAsync(Keys.Current(RedisSessionCodec.Hash(copy.SecretHash.Span))));
        Assert.Null(await store.FindBySecretHashAsync(copy.SecretHash, None));
        Assert.Equal("user-1", (await store.FindByHandleAsync(first.Session.Handle, None))?.UserId);
    }
}
