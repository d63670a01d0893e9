using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// Two instances (two multiplexers) on one real Redis: a change on one is refused on the other once
/// the push arrives, the near cache answers without a round trip, a lost pub/sub connection is
/// followed by a reset whose reload sees what was missed, and past the staleness bound every check
/// goes to Redis again.
/// </summary>
public sealed partial class PushedRevocationAcrossInstancesTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);

    private readonly RedisServer _server = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private RedisInstance? _a;
    private RedisInstance? _b;

    private RedisInstance A => _a!;

    private RedisInstance B => _b!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _a = await RedisInstance.StartAsync(_server.Configuration, _prefix, _time, Staleness, "tessera-a");
        _b = await RedisInstance.StartAsync(_server.Configuration, _prefix, _time, Staleness, "tessera-b");
        await A.UntilLocalAsync();
        await B.UntilLocalAsync();
    }

    public async Task DisposeAsync()
    {
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ASessionRevokedOnOneInstanceIsRefusedOnTheOtherOnceThePushArrives()
    {
        IssuedSession issued = await A.Sessions.CreateAsync("user-1", Laptop, None);
        Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded); // B now holds it
        Assert.False(await B.List.IsRevokedAsync(issued.Session.Handle, None));

        await A.Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        Assert.False((await A.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded); // at once where it was revoked
        await Eventually.TrueAsync(async () => !(await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded, "B to refuse the revoked session");
        await Eventually.TrueAsync(async () => await B.List.IsRevokedAsync(issued.Session.Handle, None), "B's list to hear the revocation");
        Assert.True(B.List.AnswersLocally);
    }

    [Fact]
    public async Task EveryChangeIsAnnouncedOnTheChannel()
    {
        var heard = new Heard();
        using IDisposable subscription = B.Feed.Subscribe(heard);
        IssuedSession issued = await A.Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(1), TimeSpan.FromDays(2), None);
        string handle = issued.Session.Handle;
        DateTimeOffset now = _time.GetUtcNow();

        await A.Store.TouchAsync(handle, now.AddSeconds(1), now.AddHours(1), None);
        await A.Store.FlagAsync(handle, now, "test", None);
        await A.Store.SetAttributeAsync(handle, "k", "v", 10, None);
        await A.Store.RemoveAttributeAsync(handle, "k", None);
        Assert.True(await A.Store.TryRotateSecretAsync(handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, now.AddSeconds(2), now.AddHours(1), null, None));
        Assert.Equal(1, await A.Store.RevokeAllForUserAsync("user-1", null, now.AddSeconds(3), RevocationReasons.SignedOutEverywhere, None));

        await Eventually.TrueAsync(() => Task.FromResult(heard.Changes.Count >= 6), "six announcements");
        Assert.Equal(
            [SessionChangeKind.Changed, SessionChangeKind.Changed, SessionChangeKind.Changed, SessionChangeKind.Changed, SessionChangeKind.Changed, SessionChangeKind.Revoked],
            heard.Changes.Select(c => c.Kind));
        Assert.All(heard.Changes, c => Assert.Equal(handle, c.Handle));
        Assert.Equal("user-1", heard.Changes[^1].UserId);
    }

    [Fact]
    public async Task TheNearCacheAndTheListAnswerWithoutARoundTrip()
    {
        IssuedSession issued = await A.Sessions.CreateAsync("user-1", Laptop, None);
        Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        Assert.False(await B.List.IsRevokedAsync(issued.Session.Handle, None));

        IReadOnlyDictionary<string, long> before = await CommandCountsAsync();
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
            Assert.NotNull(await B.NearCache.FindByHandleAsync(issued.Session.Handle, None));
            Assert.False(await B.List.IsRevokedAsync(issued.Session.Handle, None));
        }

        IReadOnlyDictionary<string, long> after = await CommandCountsAsync();
        foreach (string command in new[] { "evalsha", "eval", "hgetall", "exists", "get" })
        {
            Assert.Equal(before.GetValueOrDefault(command), after.GetValueOrDefault(command));
        }

        // The same calls on the bare store do cross the network: the counter does count them.
        await B.Store.FindByHandleAsync(issued.Session.Handle, None);
        Assert.Equal(after.GetValueOrDefault("hgetall") + 1, (await CommandCountsAsync()).GetValueOrDefault("hgetall"));
    }

    [Fact]
    public async Task AfterThePubSubConnectionIsKilledTheReloadSeesWhatWasMissed()
    {
        var heard = new Heard();
        using IDisposable subscription = B.Feed.Subscribe(heard);
        int resets = heard.Resets;
        // A revocation whose announcement B never hears (written beside the channel, as one lost
        // while the subscription was down would be):
        IDatabase redis = A.Connection.GetDatabase();
        await redis.StringSetAsync($"{_prefix}v1:revoked:missed", "1", TimeSpan.FromMinutes(5));
        Assert.True(B.List.AnswersLocally);
        Assert.False(await B.List.IsRevokedAsync("missed", None));

        string killed = await _server.CommandAsync("CLIENT KILL TYPE pubsub");
        Assert.StartsWith(":", killed, StringComparison.Ordinal);
        Assert.NotEqual(":0", killed);

        await Eventually.TrueAsync(() => Task.FromResult(heard.Resets > resets && B.List.AnswersLocally), "B's feed to reconnect and the list to reload");
        Assert.True(heard.Disconnects >= 1);
        Assert.True(await B.List.IsRevokedAsync("missed", None));
        Assert.True(B.Feed.IsConnected);
    }

    [Fact]
    public async Task PastTheStalenessBoundEveryCheckGoesToRedisAgain()
    {
        IssuedSession issued = await A.Sessions.CreateAsync("user-1", Laptop, None);
        Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        await _server.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!B.Feed.IsConnected), "B to notice the outage");

        // Within the bound: answered from memory, though Redis is down.
        _time.Advance(Staleness);
        Assert.False(await B.List.IsRevokedAsync(issued.Session.Handle, None));
        Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);

        // Past it: Redis is asked, and its outage is an error (503), never a stale "not revoked".
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(B.List.AnswersLocally);
        Assert.False(B.NearCache.AnswersLocally);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await B.List.IsRevokedAsync(issued.Session.Handle, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await B.Sessions.ValidateAsync(issued.Secret, Laptop, None));

        await _server.StartAsync();
        await B.UntilLocalAsync();
        Assert.True((await B.Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task ARefreshStaysOneAtomicRotationAcrossInstances()
    {
        for (int round = 0; round < 20; round++)
        {
            IssuedSession issued = await A.Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(1), TimeSpan.FromDays(2), None);
            // Both hold the session under its current secret.
            Assert.NotNull(await A.NearCache.FindBySecretHashAsync(issued.Session.SecretHash, None));
            Assert.NotNull(await B.NearCache.FindBySecretHashAsync(issued.Session.SecretHash, None));
            var lifetime = new SessionLifetime(TimeSpan.FromDays(1), TimeSpan.FromDays(2));

            SessionRecord?[] rotated = await Task.WhenAll(
                A.Sessions.TryRotateSecretAsync(issued.Session, issued.Session.SecretHash, SessionSecret.Generate().Hash, lifetime, None).AsTask(),
                B.Sessions.TryRotateSecretAsync(issued.Session, issued.Session.SecretHash, SessionSecret.Generate().Hash, lifetime, None).AsTask());

            Assert.Single(rotated, r => r is not null);
            SessionRecord winner = rotated.Single(r => r is not null)!;
            // Neither instance answers the retired secret from memory any more.
            Assert.Null(await A.NearCache.FindBySecretHashAsync(issued.Session.SecretHash, None));
            Assert.Null(await B.NearCache.FindBySecretHashAsync(issued.Session.SecretHash, None));
            Assert.Equal(winner.SecretHash.ToArray(), (await B.NearCache.FindByHandleAsync(issued.Session.Handle, None))!.SecretHash.ToArray());
            Assert.Equal(1, (await A.Store.FindByHandleAsync(issued.Session.Handle, None))!.Generation);
        }
    }

    /// <summary>Calls per command since Redis started (<c>INFO commandstats</c>): counted by Redis itself.</summary>
    private async Task<IReadOnlyDictionary<string, long>> CommandCountsAsync()
    {
        IReadOnlyDictionary<string, string> stats = await _server.InfoAsync("commandstats");
        return stats.Where(s => s.Key.StartsWith("cmdstat_", StringComparison.Ordinal)).ToDictionary(
            s => s.Key["cmdstat_".Length..],
            s => long.Parse(s.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class Heard : ISessionChangeListener
    {
        private int _resets;
        private int _disconnects;

        public List<SessionChange> Changes { get; } = [];

        public int Resets => Volatile.Read(ref _resets);

        public int Disconnects => Volatile.Read(ref _disconnects);

        public void OnChange(SessionChange change)
        {
            lock (Changes)
            {
                Changes.Add(change);
            }
        }

        public void OnReset() => Interlocked.Increment(ref _resets);

        public void OnDisconnected() => Interlocked.Increment(ref _disconnects);
    }
}
