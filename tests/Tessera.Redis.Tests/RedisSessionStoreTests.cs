using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Redis.Tests;

/// <summary>What only the Redis store does: key expiry, the pruned user index, versions in keys and values, the revocation list.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RedisFixture _redis;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RedisSessionStoreOptions _options = new()
    {
        KeyPrefix = RedisFixture.UniquePrefix(),
        Retention = TimeSpan.FromDays(7),
        RevocationListLifetime = TimeSpan.FromMinutes(16),
    };

    private readonly TesseraSessionOptions _sessionOptions = new() { IdleTimeout = TimeSpan.FromMinutes(30), AbsoluteTimeout = TimeSpan.FromHours(12) };
    private readonly RedisSessionStore _store;
    private readonly SessionService _sessions;

    public RedisSessionStoreTests(RedisFixture redis)
    {
        _redis = redis;
        _store = new RedisSessionStore(redis.Connection, _options, _time);
        _sessions = new SessionService(_store, _sessionOptions, _time);
    }

    private IDatabase Db => _redis.Connection.GetDatabase();

    private string Key(string rest) => _options.KeyPrefix + "v1:" + rest;

    [Fact]
    public async Task EveryKeyOfASessionExpiresWhenItsIdleTimeoutAndTheRetentionHavePassed()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, None);
        await new SessionAttributes(_store, _sessionOptions).SetAsync(issued.Session.Handle, "theme", "dark", None);
        TimeSpan expected = _sessionOptions.IdleTimeout + _options.Retention;

        foreach (string key in new[] { Key("s:" + issued.Session.Handle), Key("cur:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span)), Key("attr:" + issued.Session.Handle), Key("user:user-1") })
        {
            AssertTtl(expected, await Db.KeyTimeToLiveAsync(key), key);
        }
    }

    [Fact]
    public async Task ActivityMovesTheExpiryForwardAndRevocationBringsItToTheRetention()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, None);
        string sessionKey = Key("s:" + issued.Session.Handle);
        _time.Advance(TimeSpan.FromMinutes(20));

        await _sessions.ValidateAsync(issued.Secret, Laptop, None);
        // The new idle expiry is 20 + 30 minutes after creation; the fake clock moved 20 minutes.
        AssertTtl(_sessionOptions.IdleTimeout + _options.Retention, await Db.KeyTimeToLiveAsync(sessionKey), sessionKey);

        await _sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        AssertTtl(_options.Retention, await Db.KeyTimeToLiveAsync(sessionKey), sessionKey);
        AssertTtl(_options.Retention, await Db.KeyTimeToLiveAsync(Key("cur:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))), "index");
    }

    [Fact]
    public async Task ARotationMovesTheKeyLifetimeToTheNewIdleExpiryAsATouchWould()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        byte[] next = SessionSecret.Generate().Hash;
        _time.Advance(TimeSpan.FromDays(1));
        DateTimeOffset now = Clock.Now(_time);

        Assert.True(await ((ISessionSecretRotation)_store).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, now, now + TimeSpan.FromDays(2), None));

        // Before the rotation the keys lived 14 days + retention from creation; now 2 days + retention from the rotation.
        TimeSpan expected = TimeSpan.FromDays(2) + _options.Retention;
        foreach (string key in new[] { Key("s:" + issued.Session.Handle), Key("cur:" + RedisSessionCodec.Hash(next)), Key("prev:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span)) })
        {
            AssertTtl(expected, await Db.KeyTimeToLiveAsync(key), key);
        }
    }

    [Fact]
    public async Task TheAbsoluteExpiryCapsTheKeyLifetime()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(1), None);

        AssertTtl(TimeSpan.FromDays(1) + _options.Retention, await Db.KeyTimeToLiveAsync(Key("s:" + issued.Session.Handle)), "session");
    }

    [Fact]
    public async Task SessionsRedisExpiredLeaveTheUserIndexAtTheNextReadOrWrite()
    {
        IssuedSession gone = await _sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession kept = await _sessions.CreateAsync("user-1", Laptop, None);
        await Db.KeyDeleteAsync(Key("s:" + gone.Session.Handle)); // what Redis does when the TTL runs out
        Assert.Equal(2, await Db.SortedSetLengthAsync(Key("user:user-1")));

        Assert.Equal([kept.Session.Handle], (await _sessions.ListAsync("user-1", None)).Select(s => s.Handle));
        Assert.Equal([kept.Session.Handle], (await Db.SortedSetRangeByRankAsync(Key("user:user-1"))).Select(v => (string)v!));

        await Db.KeyDeleteAsync(Key("s:" + kept.Session.Handle));
        await _sessions.CreateAsync("user-1", Laptop, None);
        Assert.Equal(1, await Db.SortedSetLengthAsync(Key("user:user-1")));
    }

    [Fact]
    public async Task TheUserIndexLivesAsLongAsItsLongestLivedSession()
    {
        await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        await _sessions.CreateAsync("user-1", Laptop, None);

        AssertTtl(TimeSpan.FromDays(14) + _options.Retention, await Db.KeyTimeToLiveAsync(Key("user:user-1")), "user index");
    }

    [Fact]
    public async Task EveryKeyCarriesTheLayoutVersionAndEverySessionItsFormat()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        await ((ISessionSecretRotation)_store).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, Clock.Now(_time), issued.Session.IdleExpiresAt, None);
        await new SessionAttributes(_store, _sessionOptions).SetAsync(issued.Session.Handle, "k", "v", None);
        await _sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        string[] keys = [.. _redis.Connection.GetServer(_redis.Server.Configuration).Keys(pattern: _options.KeyPrefix + "*").Select(k => (string)k!)];

        Assert.Equal(6, keys.Length); // session, current, previous, user, attributes, revoked: no key per retired secret
        Assert.All(keys, key => Assert.StartsWith(_options.KeyPrefix + "v1:", key, StringComparison.Ordinal));
        Assert.Equal(SessionRecord.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await Db.HashGetAsync(Key("s:" + issued.Session.Handle), "v"));
    }

    [Fact]
    public async Task AGrantIsThreeShortFieldsThatAFirstPartySessionDoesNotHave()
    {
        DateTimeOffset authenticatedAt = Clock.Now(_time) - TimeSpan.FromMinutes(2);
        IssuedSession granted = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, new SessionLifetime(TimeSpan.FromDays(14), TimeSpan.FromDays(30)),
            new SessionGrant("photo-app", "openid photos:read", authenticatedAt), handle: null, None);
        IssuedSession firstParty = await _sessions.CreateAsync("user-1", Laptop, None);

        HashEntry[] grantFields = await Db.HashGetAllAsync(Key("s:" + granted.Session.Handle));
        Assert.Equal("photo-app", (string?)grantFields.Single(f => f.Name == "ci").Value);
        Assert.Equal("openid photos:read", (string?)grantFields.Single(f => f.Name == "sc").Value);
        Assert.Equal(authenticatedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)grantFields.Single(f => f.Name == "at").Value);
        HashEntry[] firstPartyFields = await Db.HashGetAllAsync(Key("s:" + firstParty.Session.Handle));
        Assert.DoesNotContain(firstPartyFields, f => f.Name == "ci" || f.Name == "sc" || f.Name == "at");
    }

    [Fact]
    public async Task ASessionStoredBeforeGrantsExistedStillReadsAsAFirstPartySession()
    {
        // Exactly the fields a Tessera without the OAuth provider wrote for a rotated token session.
        string handle = RandomIds.New128();
        await Db.HashSetAsync(Key("s:" + handle),
        [
            new("v", 2), new("u", "user-1"), new("h", RedisSessionCodec.Hash(SessionSecret.Generate().Hash)), new("k", SessionKinds.Token),
            new("c", "1893553445000"), new("ls", "1893553445000"), new("ie", "1894763045000"), new("ae", "1896145445000"),
            new("ip", "192.0.2.10"), new("ph", RedisSessionCodec.Hash(SessionSecret.Generate().Hash)), new("rt", "1893553445000"),
        ]);

        SessionRecord? found = await _store.FindByHandleAsync(handle, None);

        Assert.NotNull(found);
        Assert.Equal(SessionKinds.Token, found.Kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1893553445000), found.SecretRotatedAt);
        Assert.Null(found.ClientId);
        Assert.Null(found.Scope);
        Assert.Null(found.AuthenticatedAt);
    }

    [Fact]
    public async Task TheSignInMethodsAndTheDpopKeyAreTwoFieldsThatAnUnboundPasswordSessionDoesNotHave()
    {
        const string thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        IssuedSession bound = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, new SessionLifetime(TimeSpan.FromDays(14), TimeSpan.FromDays(30)),
            grant: null, handle: null, new SessionStart(AuthenticationMethodValues.Passkey(backupEligible: false), thumbprint), None);
        IssuedSession password = await _sessions.CreateAsync("user-1", Laptop, None);

        HashEntry[] boundFields = await Db.HashGetAllAsync(Key("s:" + bound.Session.Handle));
        Assert.Equal("hwk user mfa", (string?)boundFields.Single(f => f.Name == "am").Value);
        Assert.Equal(thumbprint, (string?)boundFields.Single(f => f.Name == "jk").Value);
        Assert.Equal(SessionRecord.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)boundFields.Single(f => f.Name == "v").Value);
        HashEntry[] passwordFields = await Db.HashGetAllAsync(Key("s:" + password.Session.Handle));
        Assert.DoesNotContain(passwordFields, f => f.Name == "am" || f.Name == "jk");
    }

    [Fact]
    public async Task ASessionStoredBeforeSignInMethodsExistedReadsAsAnUnboundPasswordSignInAndRotates()
    {
        // Exactly the fields a Tessera before issue #16 wrote for a rotated OAuth token session.
        string handle = RandomIds.New128();
        byte[] current = SessionSecret.Generate().Hash;
        await Db.HashSetAsync(Key("s:" + handle),
        [
            new("v", 2), new("u", "user-1"), new("h", RedisSessionCodec.Hash(current)), new("k", SessionKinds.Token),
            new("c", "1893553445000"), new("ls", "1893553445000"), new("ie", "1894763045000"), new("ae", "1896145445000"),
            new("ip", "192.0.2.10"), new("ph", RedisSessionCodec.Hash(SessionSecret.Generate().Hash)), new("rt", "1893553445000"),
            new("g", "3"), new("ci", "photo-app"), new("sc", "openid"), new("at", "1893553440000"),
        ]);
        await Db.StringSetAsync(Key("cur:" + RedisSessionCodec.Hash(current)), handle);

        SessionRecord? found = await _store.FindByHandleAsync(handle, None);

        Assert.NotNull(found);
        Assert.Null(found.AuthenticationMethods);
        Assert.Null(found.KeyThumbprint);
        Assert.Equal(3, found.Generation);
        Assert.Equal("photo-app", found.ClientId);
        byte[] next = SessionSecret.Generate().Hash;
        Assert.True(await ((ISessionSecretRotation)_store).TryRotateSecretAsync(handle, current, next, Clock.Now(_time), Clock.Now(_time) + TimeSpan.FromDays(14), None));
        SessionRecord rotated = (await _store.FindBySecretHashAsync(next, None))!;
        Assert.Null(rotated.AuthenticationMethods);
        Assert.Null(rotated.KeyThumbprint);
        Assert.Equal(4, rotated.Generation);
    }

    [Fact]
    public async Task ARecordOfAnUnknownFormatIsRefusedNotMisread()
    {
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, None);
        await Db.HashSetAsync(Key("s:" + issued.Session.Handle), "v", 99);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await _store.FindByHandleAsync(issued.Session.Handle, None));
    }

    [Fact]
    public async Task RevokedSessionIdsGoOnTheRevocationListForTheLongestTokenLifetime()
    {
        var list = new RedisSessionRevocationList(_redis.Connection, _options.KeyPrefix);
        IssuedSession one = await _sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession two = await _sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession other = await _sessions.CreateAsync("user-2", Laptop, None);
        Assert.False(await list.IsRevokedAsync(one.Session.Handle, None));

        await _sessions.RevokeAsync(one.Session.Handle, RevocationReasons.SignedOut, None);
        await _sessions.RevokeAllAsync("user-1", null, RevocationReasons.SignedOutEverywhere, None);

        Assert.True(await list.IsRevokedAsync(one.Session.Handle, None));
        Assert.True(await list.IsRevokedAsync(two.Session.Handle, None));
        Assert.False(await list.IsRevokedAsync(other.Session.Handle, None));
        Assert.False(await list.IsRevokedAsync("no-such-session", None));
        AssertTtl(_options.RevocationListLifetime, await Db.KeyTimeToLiveAsync(Key("revoked:" + one.Session.Handle)), "revocation entry");
    }

    [Fact]
    public async Task AZeroListLifetimeKeepsNoList()
    {
        var store = new RedisSessionStore(_redis.Connection, _options with { RevocationListLifetime = TimeSpan.Zero }, _time);
        var sessions = new SessionService(store, _sessionOptions, _time);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, None);

        await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        Assert.False(await new RedisSessionRevocationList(_redis.Connection, _options.KeyPrefix).IsRevokedAsync(issued.Session.Handle, None));
    }

    [Fact]
    public async Task ARotationKeepsNoKeyForTheRetiredSecretAndCountsTheGenerationInTheHash()
    {
        // Issue #14 finding 5: before, every rotation left a ret:{hash} key for the session's whole lifetime.
        IssuedSession issued = await _sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        byte[] second = SessionSecret.Generate().Hash;
        var rotation = (ISessionSecretRotation)_store;
        await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, second, Clock.Now(_time), issued.Session.IdleExpiresAt, SessionClientFingerprint.Of(Laptop), None);
        await rotation.TryRotateSecretAsync(issued.Session.Handle, second, SessionSecret.Generate().Hash, Clock.Now(_time), issued.Session.IdleExpiresAt, SessionClientFingerprint.Of(Laptop), None);

        Assert.False(await Db.KeyExistsAsync(Key("ret:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))));
        Assert.False(await Db.KeyExistsAsync(Key("prev:" + RedisSessionCodec.Hash(issued.Session.SecretHash.Span))));
        Assert.Equal("2", (string?)await Db.HashGetAsync(Key("s:" + issued.Session.Handle), "g"));
        Assert.Equal(RedisSessionCodec.Hash(SessionClientFingerprint.Of(Laptop)), (string?)await Db.HashGetAsync(Key("s:" + issued.Session.Handle), "rb"));
        AssertTtl(TimeSpan.FromDays(14) + _options.Retention, await Db.KeyTimeToLiveAsync(Key("prev:" + RedisSessionCodec.Hash(second))), "previous");
    }

    [Fact]
    public void ConnectionOptionsFailFastAndRecoverByThemselves()
    {
        ConfigurationOptions defaults = TesseraRedisConnection.Options("127.0.0.1:6379");
        ConfigurationOptions own = TesseraRedisConnection.Options("127.0.0.1:6379,connectTimeout=700,syncTimeout=800,asyncTimeout=900,abortConnect=true");

        Assert.False(defaults.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, defaults.BacklogPolicy);
        Assert.Equal(TesseraRedisConnection.DefaultTimeoutMilliseconds, defaults.ConnectTimeout);
        Assert.Equal(TesseraRedisConnection.DefaultTimeoutMilliseconds, defaults.AsyncTimeout);
        Assert.False(own.AbortOnConnectFail);
        Assert.Equal((700, 800, 900), (own.ConnectTimeout, own.SyncTimeout, own.AsyncTimeout));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new RedisSessionStore(_redis.Connection, _options with { KeyPrefix = "" }, _time));
        Assert.Throws<ArgumentException>(() => new RedisSessionStore(_redis.Connection, _options with { Retention = TimeSpan.FromSeconds(-1) }, _time));
    }

    // Real time passes between the write and the read; a generous margin keeps this steady on a loaded machine.
    private static void AssertTtl(TimeSpan expected, TimeSpan? actual, string key)
    {
        Assert.True(actual is { } ttl && ttl <= expected && ttl > expected - TimeSpan.FromMinutes(1), $"{key}: expected a TTL just under {expected}, got {actual?.ToString() ?? "none"}");
    }
}
