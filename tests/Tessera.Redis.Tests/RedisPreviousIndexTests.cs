using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Redis.Tests;

/// <summary>
/// Issue #13: a rotation whose retired secret is found by handle (<see cref="PreviousSecretLookup.ByHandle"/>)
/// writes no <c>prev:</c> key, about 260 bytes of every rotated token session; one found by hash (a
/// version-1 refresh token) still does; and keys written in the old shape are read, then tidied by
/// the next rotation, so a rolling upgrade signs no one out.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisPreviousIndexTests(RedisFixture redis)
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RedisSessionStoreOptions _options = new() { KeyPrefix = RedisFixture.UniquePrefix() };

    private IDatabase Db => redis.Connection.GetDatabase();

    private string Key(string rest) => _options.KeyPrefix + "v1:" + rest;

    private RedisSessionStore NewStore() => new(redis.Connection, _options, _time);

    [Fact]
    public async Task ARotationByHandleKeepsThePreviousHashInTheRecordAndWritesNoPreviousKey()
    {
        RedisSessionStore store = NewStore();
        IssuedSession issued = await new SessionService(store, new TesseraSessionOptions(), _time).CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        byte[] next = SessionSecret.Generate().Hash;

        Assert.True(await store.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Clock.Now(_time), issued.Session.IdleExpiresAt, SessionClientFingerprint.Of(Laptop), PreviousSecretLookup.ByHandle, None));

        Assert.False(await Db.KeyExistsAsync(Key("prev:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))));
        Assert.Equal([Key("cur:" + RedisSessionCodec.Hash(next)), Key("s:" + issued.Session.Handle), Key("user:user-1")], await KeysAsync());
        SessionRecord stored = (await store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(issued.Session.SecretHash.ToArray(), stored.PreviousSecretHash?.ToArray());
        Assert.Equal(1, stored.Generation);
        Assert.Null(await store.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None));
    }

    [Fact]
    public async Task TheNearCachePassesTheLookupOnSoARotationThroughItWritesNoPreviousKey()
    {
        RedisSessionStore store = NewStore();
        using var feed = new RedisSessionChangeFeed(redis.Connection, _options.KeyPrefix, TimeSpan.FromSeconds(2));
        using NearCachedSessionStore nearCache = NearCachedSessionStore.Create(store, feed, new SessionNearCacheOptions(), _time);
        IssuedSession issued = await new SessionService(nearCache, new TesseraSessionOptions(), _time).CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);

        Assert.True(await ((ISessionSecretRotation)nearCache).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, Clock.Now(_time), issued.Session.IdleExpiresAt, null, PreviousSecretLookup.ByHandle, None));

        Assert.False(await Db.KeyExistsAsync(Key("prev:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))));
    }

    [Fact]
    public async Task ARotationByHashStillIndexesTheRetiredSecret()
    {
        RedisSessionStore store = NewStore();
        IssuedSession issued = await new SessionService(store, new TesseraSessionOptions(), _time).CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);

        Assert.True(await store.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, Clock.Now(_time), issued.Session.IdleExpiresAt, null, PreviousSecretLookup.ByHash, None));

        Assert.Equal(issued.Session.Handle, (string?)await Db.StringGetAsync(Key("prev:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))));
        Assert.Equal(issued.Session.Handle, (await store.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
    }

    [Fact]
    public async Task KeysWrittenInTheOldShapeAreReadAndTheNextRotationDropsTheirPreviousKey()
    {
        // What the scripts before #13's fourth slice left after one rotation: the hash, cur: and prev:.
        string handle = "old-shape-session";
        byte[] previous = SessionSecret.Generate().Hash;
        byte[] current = SessionSecret.Generate().Hash;
        await Db.HashSetAsync(Key("s:" + handle),
        [
            new("v", 2), new("u", "user-1"), new("h", RedisSessionCodec.Hash(current)), new("k", SessionKinds.Token),
            new("c", "1893553445000"), new("ls", "1893553445000"), new("ie", "1894763045000"), new("ae", "1896145445000"),
            new("ip", "192.0.2.10"), new("ua", "Laptop/1.0"), new("ph", RedisSessionCodec.Hash(previous)), new("rt", "1893553445000"), new("g", "1"),
        ]);
        await Db.StringSetAsync(Key("cur:" + RedisSessionCodec.Hash(current)), handle);
        await Db.StringSetAsync(Key("prev:" + RedisSessionCodec.Hash(previous)), handle);
        await Db.SortedSetAddAsync(Key("user:user-1"), handle, 1893553445000);
        RedisSessionStore store = NewStore();

        Assert.Equal(handle, (await store.FindBySecretHashAsync(current, None))?.Handle);
        Assert.Equal(handle, (await store.FindByPreviousSecretHashAsync(previous, None))?.Handle);

        byte[] next = SessionSecret.Generate().Hash;
        Assert.True(await store.TryRotateSecretAsync(handle, current, next, Clock.Now(_time), Clock.Now(_time) + TimeSpan.FromDays(14), null, PreviousSecretLookup.ByHandle, None));

        Assert.Equal([Key("cur:" + RedisSessionCodec.Hash(next)), Key("s:" + handle), Key("user:user-1")], await KeysAsync());
        SessionRecord rotated = (await store.FindByHandleAsync(handle, None))!;
        Assert.Equal(current, rotated.PreviousSecretHash?.ToArray());
        Assert.Equal(2, rotated.Generation);
        Assert.Equal("Laptop/1.0", rotated.UserAgent);
    }

    private async Task<string[]> KeysAsync()
    {
        var keys = new List<string>();
        await foreach (RedisKey key in redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]).KeysAsync(pattern: _options.KeyPrefix + "*"))
        {
            keys.Add(key!);
        }

        return [.. keys.Order(StringComparer.Ordinal)];
    }
}
