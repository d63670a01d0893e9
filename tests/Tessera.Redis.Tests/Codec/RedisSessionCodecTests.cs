using System.Net;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis.Tests.Codec;

/// <summary>
/// The session hash's encoding (issue #13): a browser's user agent is written in pieces short
/// enough for Redis to keep the hash listpack-encoded, reads back whole, and hashes written before
/// (the whole user agent in <c>ua</c>) still read.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionCodecTests(RedisFixture redis)
{
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1";

    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static SessionRecord Record(string? userAgent) => new()
    {
        Handle = RandomIds.New128(),
        UserId = RandomIds.New128(),
        SecretHash = RandomNumberGenerator.GetBytes(32),
        CreatedAt = Start,
        LastSeenAt = Start,
        IdleExpiresAt = Start + TimeSpan.FromHours(1),
        AbsoluteExpiresAt = Start + TimeSpan.FromDays(1),
        ClientIp = "2001:db8:4a1c:2f00:8d3e:91b2:6c4f:1a07",
        UserAgent = userAgent,
        AuthenticationMethods = "hwk user",
        KeyThumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
    };

    private static HashEntry[] Entries(List<RedisValue> fields) =>
        [.. fields.Chunk(2).Select(pair => new HashEntry(pair[0], pair[1]))];

    public static TheoryData<string?> UserAgents() => new()
    {
        null,
        "",
        "curl/8.5.0",
        new string('a', RedisSessionCodec.PieceBytes),
        new string('a', RedisSessionCodec.PieceBytes + 1),
        Safari,
        // Multi-byte characters and surrogate pairs across the 64-byte boundaries.
        "Mozilla/5.0 (Linux; Android 14) Navigateur-é€😀" + string.Concat(Enumerable.Repeat("😀é€x", 40)),
        new string('z', SessionClient.MaximumUserAgentLength),
    };

    [Theory]
    [MemberData(nameof(UserAgents))]
    public void EveryValueFitsTheListpackLimitAndTheUserAgentReadsBackWhole(string? userAgent)
    {
        SessionRecord session = Record(userAgent);
        List<RedisValue> fields = RedisSessionCodec.Fields(session);

        Assert.All(fields, value => Assert.True(Encoding.UTF8.GetByteCount((string)value!) <= RedisSessionCodec.PieceBytes, (string)value!));
        SessionRecord read = RedisSessionCodec.Read(session.Handle, Entries(fields));
        Assert.Equal(userAgent, read.UserAgent);
        Assert.Equal(session.ClientIp, read.ClientIp);
        Assert.Equal(session.AuthenticationMethods, read.AuthenticationMethods);
        Assert.Equal(session.KeyThumbprint, read.KeyThumbprint);
        Assert.Equal(session.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public void AHashWrittenBeforeWithTheWholeUserAgentInUaStillReads()
    {
        SessionRecord session = Record(null);
        List<RedisValue> fields = RedisSessionCodec.Fields(session);
        fields.AddRange(["ua", Safari]);

        Assert.Equal(Safari, RedisSessionCodec.Read(session.Handle, Entries(fields)).UserAgent);
    }

    [Fact]
    public async Task ASessionWithABrowsersUserAgentStaysListpackEncodedAndReadsBack()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        string prefix = RedisFixture.UniquePrefix();
        var store = new RedisSessionStore(redis.Connection, new RedisSessionStoreOptions { KeyPrefix = prefix }, time);
        var sessions = new SessionService(store, new TesseraSessionOptions(), time);

        IssuedSession issued = await sessions.CreateAsync("user-1", new SessionClient("203.0.113.45", Safari), CancellationToken.None);

        RedisKey key = await SessionKeyAsync(prefix, issued.Session.Handle);
        IDatabase db = redis.Connection.GetDatabase();
        Assert.Equal("listpack", (string?)await db.ExecuteAsync("OBJECT", "ENCODING", key));
        SessionRecord? found = await store.FindBySecretHashAsync(issued.Session.SecretHash, CancellationToken.None);
        Assert.Equal(Safari, found!.UserAgent);
        Assert.Equal(Safari, Assert.Single(await store.ListActiveForUserAsync("user-1", Start, CancellationToken.None)).UserAgent);
    }

    [Fact]
    public async Task ARecordInRedisWithTheOldUserAgentFieldStillReads()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        string prefix = RedisFixture.UniquePrefix();
        var store = new RedisSessionStore(redis.Connection, new RedisSessionStoreOptions { KeyPrefix = prefix }, time);
        var sessions = new SessionService(store, new TesseraSessionOptions(), time);
        IssuedSession issued = await sessions.CreateAsync("user-1", new SessionClient("203.0.113.45", "short"), CancellationToken.None);

        // What the previous build wrote: the whole user agent in one field.
        RedisKey key = await SessionKeyAsync(prefix, issued.Session.Handle);
        IDatabase db = redis.Connection.GetDatabase();
        await db.HashSetAsync(key, "ua", Safari);
        Assert.Equal("hashtable", (string?)await db.ExecuteAsync("OBJECT", "ENCODING", key));

        Assert.Equal(Safari, (await store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.UserAgent);
        Assert.Equal(Safari, (await store.FindBySecretHashAsync(issued.Session.SecretHash, CancellationToken.None))!.UserAgent);
    }

    // Found by pattern, so the test does not depend on the key layout (Redis Cluster changes it).
    private async Task<RedisKey> SessionKeyAsync(string prefix, string handle)
    {
        IDatabase db = redis.Connection.GetDatabase();
        foreach (EndPoint endpoint in redis.Connection.GetEndPoints())
        {
            await foreach (RedisKey key in redis.Connection.GetServer(endpoint).KeysAsync(pattern: prefix + "*" + handle + "*"))
            {
                if (await db.KeyTypeAsync(key) == RedisType.Hash && !((string)key!).Contains("attr", StringComparison.Ordinal))
                {
                    return key;
                }
            }
        }

        throw new InvalidOperationException("The session's hash was not found.");
    }
}
