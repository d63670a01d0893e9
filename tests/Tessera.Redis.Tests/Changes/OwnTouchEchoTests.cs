using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// Issue #13: a touch is announced so other instances drop their copy, but the instance that touched
/// already moved its own copy forward; its own echo is not handed back to its near cache (one read
/// of Redis less per touch interval), while every other instance still drops its copy, and every
/// other change (here a flag) still reaches the instance that made it.
/// </summary>
public sealed class OwnTouchEchoTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;

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
        _a = await RedisInstance.StartAsync(_server.Configuration, _prefix, _time, TimeSpan.FromSeconds(30), "tessera-a");
        _b = await RedisInstance.StartAsync(_server.Configuration, _prefix, _time, TimeSpan.FromSeconds(30), "tessera-b");
        await A.UntilLocalAsync();
        await B.UntilLocalAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (RedisInstance? instance in new[] { _a, _b })
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TheTouchingInstanceKeepsItsMovedCopyWhileTheOtherDropsItsOwn()
    {
        IssuedSession touched = await A.Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession marker = await A.Sessions.CreateAsync("user-2", Laptop, None);
        Assert.NotNull(await A.NearCache.FindByHandleAsync(touched.Session.Handle, None));
        Assert.NotNull(await B.NearCache.FindByHandleAsync(touched.Session.Handle, None));
        Assert.Equal(1, A.NearCache.Count);
        Assert.Equal(1, B.NearCache.Count);
        var heardByA = new Changes();
        using IDisposable subscription = A.Feed.Subscribe(heardByA);

        DateTimeOffset seen = touched.Session.LastSeenAt.AddMinutes(5);
        await A.NearCache.TouchAsync(touched.Session.Handle, seen, seen.AddHours(1), None);
        // A later change on the same channel: once A hears it, A has had the touch's echo (one subscription, in order).
        await A.NearCache.FlagAsync(marker.Session.Handle, seen, "marker", None);
        await Eventually.TrueAsync(() => Task.FromResult(heardByA.Handles.Contains(marker.Session.Handle)), "A to hear the later change");
        await Eventually.TrueAsync(() => Task.FromResult(B.NearCache.Count == 0), "B to drop its copy on the touch's announcement");

        Assert.Equal(1, A.NearCache.Count);
        Assert.DoesNotContain(touched.Session.Handle, heardByA.Handles);
        SessionRecord? held = await A.NearCache.FindByHandleAsync(touched.Session.Handle, None);
        Assert.Equal(seen, held!.LastSeenAt);
        Assert.Equal(seen, (await B.NearCache.FindByHandleAsync(touched.Session.Handle, None))!.LastSeenAt);
    }

    [Fact]
    public void AnOlderBuildsMessagesAndOtherOriginsAreNotSkipped()
    {
        Assert.Null(RedisSessionChangeFeed.OriginOf("c|handle|user-1"));
        Assert.Null(RedisSessionChangeFeed.OriginOf("r|handle|user-1|60000"));
        Assert.Equal("abc", RedisSessionChangeFeed.OriginOf("c|handle|user-1|o:abc"));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "handle", "user-1"), RedisSessionChangeFeed.Parse("c|handle|user-1|o:abc"));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "handle", null), RedisSessionChangeFeed.Parse("c|handle||o:abc"));
    }

    private sealed class Changes : ISessionChangeListener
    {
        private readonly List<string> _handles = [];

        public IReadOnlyList<string> Handles
        {
            get
            {
                lock (_handles)
                {
                    return [.. _handles];
                }
            }
        }

        public void OnChange(SessionChange change)
        {
            lock (_handles)
            {
                _handles.Add(change.Handle);
            }
        }

        public void OnReset()
        {
        }

        public void OnDisconnected()
        {
        }
    }
}
