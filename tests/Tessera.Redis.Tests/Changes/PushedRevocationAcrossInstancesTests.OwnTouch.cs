using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// Issue #13: a touch is announced so other instances drop their copy, but the instance that touched
/// already moved its own copy forward; its own echo is not handed back to its near cache (one read
/// of Redis less per touch interval), while every other instance still drops its copy, and every
/// other change (here a flag) still reaches the instance that made it.
/// </summary>
public sealed partial class PushedRevocationAcrossInstancesTests
{
    [Fact]
    public async Task TheTouchingInstanceKeepsItsMovedCopyWhileTheOtherDropsItsOwn()
    {
        IssuedSession touched = await A.Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession marker = await A.Sessions.CreateAsync("user-2", Laptop, None);
        Assert.NotNull(await A.NearCache.FindByHandleAsync(touched.Session.Handle, None));
        Assert.NotNull(await B.NearCache.FindByHandleAsync(touched.Session.Handle, None));
        Assert.Equal(1, A.NearCache.Count);
        Assert.Equal(1, B.NearCache.Count);
        var heardByA = new Heard();
        using IDisposable subscription = A.Feed.Subscribe(heardByA);

        DateTimeOffset seen = touched.Session.LastSeenAt.AddMinutes(5);
        await A.NearCache.TouchAsync(touched.Session.Handle, seen, seen.AddHours(1), None);
        // A later change on the same channel: once A hears it, A has had the touch's echo (one subscription, in order).
        await A.NearCache.FlagAsync(marker.Session.Handle, seen, "marker", None);
        await Eventually.TrueAsync(() => Task.FromResult(HandlesHeard(heardByA).Contains(marker.Session.Handle)), "A to hear the later change");
        await Eventually.TrueAsync(() => Task.FromResult(B.NearCache.Count == 0), "B to drop its copy on the touch's announcement");

        Assert.Equal(1, A.NearCache.Count);
        Assert.DoesNotContain(touched.Session.Handle, HandlesHeard(heardByA));
        SessionRecord? held = await A.NearCache.FindByHandleAsync(touched.Session.Handle, None);
        Assert.Equal(seen, held!.LastSeenAt);
        Assert.Equal(seen, (await B.NearCache.FindByHandleAsync(touched.Session.Handle, None))!.LastSeenAt);
    }

    [Fact]
    public void AnOlderBuildsMessagesAndOtherOriginsAreNotSkipped()
    {
        Assert.Null(RedisSessionChangeFeed.OriginOf("c|handle|user-1"));
        Assert.Null(RedisSessionChangeFeed.OriginOf("r|handle|user-1|60000"));
        const string Origin = "0123456789abcdef0123456789abcdef";
        Assert.Equal(Origin, RedisSessionChangeFeed.OriginOf("c|handle|user-1|o:" + Origin));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "handle", "user-1"), RedisSessionChangeFeed.Parse("c|handle|user-1|o:" + Origin));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "handle", null), RedisSessionChangeFeed.Parse("c|handle||o:" + Origin));
    }

    [Theory]
    [InlineData("c|handle|o:abc", "o:abc")]
    [InlineData("c|handle|o:0123456789abcdef0123456789abcdef", "o:0123456789abcdef0123456789abcdef")]
    [InlineData("c|handle|team|o:x", "team|o:x")]
    [InlineData("c|handle|a|o:", "a|o:")]
    public void AUserIdThatLooksLikeAnOriginIsReadAsTheUserId(string message, string user)
    {
        // A flag or rotation of such a user's session (no origin) must reach every other instance, not throw in the handler.
        Assert.Null(RedisSessionChangeFeed.OriginOf(message));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "handle", user), RedisSessionChangeFeed.Parse(message));
    }

    [Fact]
    public void AnAbsurdListingTimeIsBoundedNotThrown()
    {
        SessionChange? change = RedisSessionChangeFeed.Parse("r|handle|user-1|999999999999999999");

        Assert.Equal(TimeSpan.FromDays(366), change?.ListedFor);
    }

    private static List<string> HandlesHeard(Heard heard)
    {
        lock (heard.Changes)
        {
            return [.. heard.Changes.Select(c => c.Handle)];
        }
    }
}
