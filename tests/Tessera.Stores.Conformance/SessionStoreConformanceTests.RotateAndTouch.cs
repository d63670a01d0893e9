using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// A refresh is one store step: the compare-and-swap of the secret hash also touches the session
/// (<see cref="ISessionSecretRotation.TryRotateSecretAsync"/>), so no reader ever sees a rotated
/// session with its old activity, and a lost race writes nothing at all.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    private static readonly TimeSpan RefreshIdle = TimeSpan.FromDays(14);

    [Fact]
    public async Task ARotationSetsLastSeenAndIdleExpiryInTheSameStep()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        byte[] next = SessionSecret.Generate().Hash;
        Time.Advance(TimeSpan.FromHours(5));
        DateTimeOffset at = Clock.Now(Time);
        DateTimeOffset idle = at + TimeSpan.FromDays(3);

        Assert.True(await ((ISessionSecretRotation)Store).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, at, idle, None));

        SessionRecord? stored = await Store.FindBySecretHashAsync(next, None);
        Assert.NotNull(stored);
        AssertRotated(stored, next, at, lastSeen: at, idle);
        Assert.Equal(issued.Session.SecretHash.ToArray(), stored.PreviousSecretHash?.ToArray());
        Assert.Equal(issued.Session.AbsoluteExpiresAt, stored.AbsoluteExpiresAt);
        Assert.Equal(issued.Session.CreatedAt, stored.CreatedAt);
    }

    [Fact]
    public async Task AFailedRotationChangesNothing()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        IssuedSession other = await NewTokenSessionAsync("user-2");
        var rotation = (ISessionSecretRotation)Store;
        SessionRecord before = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Time.Advance(TimeSpan.FromHours(1));
        DateTimeOffset at = Clock.Now(Time);

        // A stale expected hash (another refresh won), and a next hash another session holds.
        Assert.False(await rotation.TryRotateSecretAsync(issued.Session.Handle, SessionSecret.Generate().Hash, SessionSecret.Generate().Hash, at, at + RefreshIdle, None));
        Assert.False(await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, other.Session.SecretHash, at, at + RefreshIdle, None));

        AssertUnchanged(before, (await Store.FindByHandleAsync(issued.Session.Handle, None))!);
        Assert.Equal(other.Session.Handle, (await Store.FindBySecretHashAsync(other.Session.SecretHash, None))?.Handle);
    }

    [Fact]
    public async Task ARevokedSessionIsNeitherRotatedNorTouched()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        await Store.RevokeAsync(issued.Session.Handle, Clock.Now(Time), RevocationReasons.SignedOut, None);
        SessionRecord before = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Time.Advance(TimeSpan.FromHours(1));
        DateTimeOffset at = Clock.Now(Time);

        Assert.False(await ((ISessionSecretRotation)Store).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, at, at + RefreshIdle, None));

        AssertUnchanged(before, (await Store.FindByHandleAsync(issued.Session.Handle, None))!);
    }

    [Fact]
    public async Task ARotationNeverMovesLastSeenBackwards()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        DateTimeOffset touched = Clock.Now(Time) + TimeSpan.FromMinutes(10);
        await Store.TouchAsync(issued.Session.Handle, touched, touched + RefreshIdle, None);
        DateTimeOffset earlier = touched - TimeSpan.FromMinutes(2);
        byte[] next = SessionSecret.Generate().Hash;

        // A refresh that read the clock before a concurrent touch landed still wins the swap.
        Assert.True(await ((ISessionSecretRotation)Store).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, earlier, earlier + RefreshIdle, None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(next, stored.SecretHash.ToArray());
        Assert.Equal(earlier, stored.SecretRotatedAt);
        Assert.Equal(touched, stored.LastSeenAt);
    }

    [Fact]
    public async Task ConcurrentRotationsFromTwoInstancesLeaveTheWinnersTouchAndNoOther()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        ISessionStore[] instances = [Store, await OpenSecondInstanceAsync()];
        DateTimeOffset start = Clock.Now(Time);
        // Each contender has its own hash, time and idle expiry, so a mix of two would show.
        (byte[] Next, DateTimeOffset At, DateTimeOffset Idle)[] contenders = [.. Enumerable.Range(1, 16)
            .Select(i => (SessionSecret.Generate().Hash, start + TimeSpan.FromSeconds(i), start + TimeSpan.FromSeconds(i) + TimeSpan.FromHours(i)))];

        bool[] results = await Task.WhenAll(contenders.Select((c, i) => Task.Run(async () =>
            await ((ISessionSecretRotation)instances[i % 2]).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, c.Next, c.At, c.Idle, None))));

        Assert.Equal(1, results.Count(won => won));
        (byte[] next, DateTimeOffset at, DateTimeOffset idle) = contenders[Array.IndexOf(results, true)];
        foreach (ISessionStore instance in instances)
        {
            AssertRotated((await instance.FindByHandleAsync(issued.Session.Handle, None))!, next, at, lastSeen: at, idle);
        }
    }

    [Fact]
    public async Task ManyTasksRefreshingOneSessionKeepTheLastLinksIdleExpiryAndTheLatestActivity()
    {
        IssuedSession issued = await NewTokenSessionAsync("user-1");
        ISessionStore[] instances = [Store, await OpenSecondInstanceAsync()];
        DateTimeOffset start = Clock.Now(Time);
        var wins = new System.Collections.Concurrent.ConcurrentBag<(string From, string To, DateTimeOffset At, DateTimeOffset Idle)>();
        int attempt = 0;

        // Like instances refreshing at once with clocks a little apart: times are not in chain order.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            var rotation = (ISessionSecretRotation)instances[task % 2];
            for (int i = 0; i < 8; i++)
            {
                SessionRecord current = (await instances[task % 2].FindByHandleAsync(issued.Session.Handle, None))!;
                int n = Interlocked.Increment(ref attempt);
                DateTimeOffset at = start + TimeSpan.FromSeconds((n * 7919) % 97);
                DateTimeOffset idle = at + TimeSpan.FromMinutes(n);
                byte[] next = SessionSecret.Generate().Hash;
                if (await rotation.TryRotateSecretAsync(issued.Session.Handle, current.SecretHash, next, at, idle, None))
                {
                    wins.Add((Convert.ToHexString(current.SecretHash.Span), Convert.ToHexString(next), at, idle));
                }
            }
        })));

        Dictionary<string, (string To, DateTimeOffset At, DateTimeOffset Idle)> links = wins.ToDictionary(w => w.From, w => (w.To, w.At, w.Idle));
        Assert.Equal(wins.Count, links.Count); // no hash was rotated away twice: no fork
        string hash = Convert.ToHexString(issued.Session.SecretHash.Span);
        (string To, DateTimeOffset At, DateTimeOffset Idle)? last = null;
        int followed = 0;
        while (links.TryGetValue(hash, out var link))
        {
            last = link;
            hash = link.To;
            followed++;
        }

        Assert.Equal(wins.Count, followed);
        Assert.NotNull(last);
        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        AssertRotated(stored, Convert.FromHexString(hash), last.Value.At, lastSeen: wins.Max(w => w.At), last.Value.Idle);
    }

    private async Task<IssuedSession> NewTokenSessionAsync(string userId) =>
        await Sessions.CreateAsync(userId, Laptop, SessionKinds.Token, RefreshIdle, TimeSpan.FromDays(30), None);

    private static void AssertRotated(SessionRecord stored, byte[] secretHash, DateTimeOffset rotatedAt, DateTimeOffset lastSeen, DateTimeOffset idleExpiresAt)
    {
        Assert.Equal(secretHash, stored.SecretHash.ToArray());
        Assert.Equal(rotatedAt, stored.SecretRotatedAt);
        Assert.Equal(lastSeen, stored.LastSeenAt);
        Assert.Equal(idleExpiresAt, stored.IdleExpiresAt);
    }

    private static void AssertUnchanged(SessionRecord before, SessionRecord after)
    {
        Assert.Equal(before.SecretHash.ToArray(), after.SecretHash.ToArray());
        Assert.Equal(before.PreviousSecretHash?.ToArray(), after.PreviousSecretHash?.ToArray());
        Assert.Equal(before.SecretRotatedAt, after.SecretRotatedAt);
        Assert.Equal(before.LastSeenAt, after.LastSeenAt);
        Assert.Equal(before.IdleExpiresAt, after.IdleExpiresAt);
        Assert.Equal(before.RevokedAt, after.RevokedAt);
    }
}
