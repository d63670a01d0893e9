using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// The review's findings on the pushed list, on a real Redis: a subscription that dies without a
/// connection event is noticed by the heartbeat (the staleness bound holds), and a revoked id is held
/// as long as the issuer's store lists it, not as long as this instance's own settings say.
/// </summary>
public sealed class FeedLivenessAndListingTimeTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(1);

    private readonly RedisServer _server = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private IConnectionMultiplexer? _issuerConnection;
    private RedisInstance? _b;

    private RedisInstance B => _b!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _issuerConnection = await TesseraRedisConnection.ConnectAsync(_server.Configuration);
        _b = await RedisInstance.StartAsync(_server.Configuration, _prefix, _time, Staleness, "tessera-b");
        await B.UntilLocalAsync();
    }

    public async Task DisposeAsync()
    {
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        if (_issuerConnection is not null)
        {
            await _issuerConnection.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ASubscriptionThatStopsDeliveringWithoutAConnectionEventIsNoticedAndMadeAgain()
    {
        SessionService issuer = Issuer(TimeSpan.FromMinutes(16));
        IssuedSession issued = await issuer.CreateAsync("user-1", Laptop, None);
        Assert.False(await B.List.IsRevokedAsync(issued.Session.Handle, None));

        // The subscription ends on the server's side while every connection stays up: no
        // ConnectionFailed, no ConnectionRestored. Only the feed's own heartbeat can tell.
        await B.Connection.GetSubscriber().UnsubscribeAllAsync();
        await issuer.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        await Eventually.TrueAsync(async () => await B.List.IsRevokedAsync(issued.Session.Handle, None), "B to notice the dead subscription and refuse the revoked sid");
        await B.UntilLocalAsync(); // subscribed again, confirmed, reloaded
        Assert.True(await B.List.IsRevokedAsync(issued.Session.Handle, None));
        Assert.True(B.Feed.IsConnected);
    }

    [Fact]
    public async Task ARevocationHeardOnTheFeedIsHeldAsLongAsTheIssuersListKeepsIt()
    {
        // The issuer's tokens live an hour: its list keeps ids 61 minutes. B's own options say 16.
        SessionService issuer = Issuer(TimeSpan.FromMinutes(61));
        IssuedSession issued = await issuer.CreateAsync("user-1", Laptop, None);

        await issuer.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        await Eventually.TrueAsync(async () => await B.List.IsRevokedAsync(issued.Session.Handle, None), "B's list to hear the revocation");
        _time.Advance(TimeSpan.FromMinutes(20));

        Assert.True(B.List.AnswersLocally);
        Assert.True(await B.List.IsRevokedAsync(issued.Session.Handle, None));
    }

    [Fact]
    public async Task ARevocationReloadedAfterAReconnectIsHeldAsLongAsTheIssuersListKeepsIt()
    {
        // Listed for 61 minutes by an issuer whose announcement B never heard (as one lost while its
        // subscription was down): only the reload after the reconnection can bring it.
        await _issuerConnection!.GetDatabase().StringSetAsync($"{_prefix}v1:revoked:missed", "1", TimeSpan.FromMinutes(61));

        var resets = new ResetCounter();
        using IDisposable subscription = B.Feed.Subscribe(resets);
        int before = resets.Count;
        await _server.CommandAsync("CLIENT KILL TYPE pubsub");
        await Eventually.TrueAsync(() => Task.FromResult(resets.Count > before), "B's feed to reconnect and reset");
        await B.UntilLocalAsync(); // the list reloaded from Redis (its message was never heard: the id comes from the reload)
        _time.Advance(TimeSpan.FromMinutes(20));

        Assert.True(B.List.AnswersLocally);
        Assert.True(await B.List.IsRevokedAsync("missed", None));
    }

    [Fact]
    public void TheRevocationMessageCarriesTheListingTimeAndOlderMessagesStillRead()
    {
        Assert.Equal(new SessionChange(SessionChangeKind.Revoked, "h1", "u1", TimeSpan.FromMilliseconds(3_660_000)), RedisSessionChangeFeed.Parse("r|h1|u1|3660000"));
        Assert.Equal(new SessionChange(SessionChangeKind.Revoked, "h1", "u1"), RedisSessionChangeFeed.Parse("r|h1|u1"));
        Assert.Equal(new SessionChange(SessionChangeKind.Revoked, "h1", null, TimeSpan.FromSeconds(5)), RedisSessionChangeFeed.Parse("r|h1||5000"));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "h1", "u1|7"), RedisSessionChangeFeed.Parse("c|h1|u1|7"));
        Assert.Equal("r|h1|u1|5000", RedisSessionChangeFeed.Format(new SessionChange(SessionChangeKind.Revoked, "h1", "u1", TimeSpan.FromSeconds(5))));
    }

    private sealed class ResetCounter : ISessionChangeListener
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnChange(SessionChange change)
        {
        }

        public void OnReset() => Interlocked.Increment(ref _count);

        public void OnDisconnected()
        {
        }
    }

    /// <summary>The issuer: its own connection and store, listing revoked ids for <paramref name="listed"/>.</summary>
    private SessionService Issuer(TimeSpan listed) =>
        new(new RedisSessionStore(_issuerConnection!, new RedisSessionStoreOptions { KeyPrefix = _prefix, RevocationListLifetime = listed }, _time), new TesseraSessionOptions(), _time);
}
