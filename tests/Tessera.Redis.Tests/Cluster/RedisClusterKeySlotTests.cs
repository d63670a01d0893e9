using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// The cluster key layout puts every key of one session in one hash slot and one user's index in
/// one slot, as Redis itself computes slots (<c>CLUSTER KEYSLOT</c>), while different sessions
/// spread over the cluster; the single-slot (v1) layout without a tag is refused by the cluster.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterKeySlotTests(RedisClusterFixture cluster)
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static CancellationToken None => CancellationToken.None;

    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private RedisSessionStore NewStore() => new(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true }, _time);

    [Fact]
    public async Task EveryKeyOfOneSessionAndOfOneUsersIndexHashesToOneSlot()
    {
        RedisSessionStore store = NewStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);
        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        string handle = issued.Session.Handle;
        Assert.True(await store.TryRotateSecretAsync(handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, _time.GetUtcNow(), issued.Session.IdleExpiresAt, null, None));
        Assert.Equal(AttributeWrite.Written, await store.SetAttributeAsync(handle, "theme", "dark", 10, None));
        Assert.True(await store.RevokeAsync(handle, _time.GetUtcNow(), RevocationReasons.SignedOut, None));

        List<string> keys = await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix);

        // The record, its attributes and its revocation-list entry: one slot, the handle's.
        string[] ofSession = [.. keys.Where(k => k.Contains("{" + handle + "}", StringComparison.Ordinal))];
        Assert.Equal(3, ofSession.Length);
        int slot = await cluster.Cluster.KeySlotAsync(handle);
        foreach (string key in ofSession)
        {
            Assert.Equal(slot, await cluster.Cluster.KeySlotAsync(key));
        }

        // The user's index: the user id's slot.
        string userIndex = Assert.Single(keys, k => k.Contains("user:{user-1}", StringComparison.Ordinal));
        Assert.Equal(await cluster.Cluster.KeySlotAsync("user-1"), await cluster.Cluster.KeySlotAsync(userIndex));

        // Every key carries a tag, and lives in its tag's slot: nothing falls back on hashing the whole name.
        foreach (string key in keys)
        {
            int open = key.IndexOf('{', StringComparison.Ordinal);
            Assert.True(open > 0, key);
            string tag = key[(open + 1)..key.IndexOf('}', open)];
            Assert.Equal(await cluster.Cluster.KeySlotAsync(tag), await cluster.Cluster.KeySlotAsync(key));
        }
    }

    [Fact]
    public async Task SessionsSpreadOverTheCluster()
    {
        var sessions = new SessionService(NewStore(), new TesseraSessionOptions { MaxSessionsPerUser = 100 }, _time);
        var slots = new HashSet<int>();
        for (int i = 0; i < 8; i++)
        {
            IssuedSession issued = await sessions.CreateAsync($"user-{i}", Laptop, None);
            slots.Add(await cluster.Cluster.KeySlotAsync(new RedisKeys(_prefix, cluster: true).Session(issued.Session.Handle)));
        }

        // A tag in the prefix would put all of them in one slot (one primary holding every session).
        Assert.True(slots.Count > 1);
    }

    [Fact]
    public void TheClusterLayoutRefusesABraceInThePrefix()
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() =>
            new RedisSessionStore(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = "{tessera}:", Cluster = true }, _time));
        Assert.Contains("KeyPrefix", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClusterLayoutRefusesADatabaseOtherThanZero() =>
        Assert.Contains("Database", new RedisSessionStoreOptions { Cluster = true, Database = 2 }.Problem(), StringComparison.Ordinal);

    [Fact]
    public void TheWaitIsBoundedSoItCannotHoldAPrimarysConnectionLong()
    {
        Assert.NotNull(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicaTimeout = TimeSpan.FromSeconds(2) }.Problem());
        Assert.NotNull(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicaTimeout = TimeSpan.Zero }.Problem());
        // WAIT counts whole milliseconds, and WAIT n 0 blocks forever.
        Assert.NotNull(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicaTimeout = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2) }.Problem());
        Assert.Null(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicaTimeout = TimeSpan.FromMilliseconds(1) }.Problem());
        Assert.NotNull(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicas = -1 }.Problem());
        Assert.Null(new RedisSessionStoreOptions { Cluster = true, ClusterUserIndexReplicas = 0 }.Problem());
    }

    [Fact]
    public void TheSingleSlotLayoutWithoutATagIsRefusedOnAClusterConnection()
    {
        // v1's create script reaches the secret index and the user's index from the session's slot:
        // on a cluster it would succeed only while they happen to share a primary (a CI run saw a
        // sign-in go through that way), so the store refuses to be built at all.
        ArgumentException refused = Assert.Throws<ArgumentException>(() =>
            new RedisSessionStore(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = _prefix }, _time));
        Assert.Contains("Tessera:Redis:Cluster", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSingleSlotLayoutWithATaggedPrefixKeepsEveryKeyOnOnePrimary()
    {
        string tagged = "{" + _prefix.TrimEnd(':') + "}:";
        var store = new RedisSessionStore(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = tagged }, _time);
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);
        for (int i = 0; i < 5; i++)
        {
            IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, None);
            Assert.True((await sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        }

        int slot = await cluster.Cluster.KeySlotAsync(tagged);
        foreach (string key in await RedisClusterFixture.KeysAsync(cluster.Connection, tagged))
        {
            Assert.Equal(slot, await cluster.Cluster.KeySlotAsync(key));
        }
    }

    [Theory]
    [InlineData("tessera:", false)]
    [InlineData("{tessera}:", true)]
    [InlineData("a{b}c:", true)]
    [InlineData("{}tessera:", false)]
    [InlineData("{tessera:", false)]
    [InlineData("}{x}:", true)]
    public void AHashTagIsWhatRedisHashes(string prefix, bool tagged) =>
        Assert.Equal(tagged, RedisClusterDetection.PrefixHasHashTag(prefix));
}
