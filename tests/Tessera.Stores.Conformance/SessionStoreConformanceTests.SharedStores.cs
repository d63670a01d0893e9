using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// Cases that matter most where several instances share one store (Redis, PostgreSQL): rotation
/// chains under contention, indexes that must never hand back what was purged, user ids that
/// look like each other or like key syntax.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task ManyTasksRefreshingOneSessionBuildASingleChainWithoutAFork()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        var wins = new System.Collections.Concurrent.ConcurrentBag<(string From, string To)>();

        // Each task reads the current secret hash and tries to move it on, like instances refreshing at once.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                SessionRecord current = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
                byte[] next = SessionSecret.Generate().Hash;
                if (await rotation.TryRotateSecretAsync(issued.Session.Handle, current.SecretHash, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None))
                {
                    wins.Add((Convert.ToHexString(current.SecretHash.Span), Convert.ToHexString(next)));
                }
            }
        })));

        // Every win moved the hash on from the previous win's result: following the links from the
        // first hash visits every win exactly once and ends at the stored hash.
        Dictionary<string, string> links = wins.ToDictionary(w => w.From, w => w.To);
        Assert.Equal(wins.Count, links.Count);
        string at = Convert.ToHexString(issued.Session.SecretHash.Span);
        var retired = new List<string>();
        while (links.TryGetValue(at, out string? next))
        {
            retired.Add(at);
            at = next;
        }

        Assert.NotEmpty(wins);
        Assert.Equal(wins.Count, retired.Count);
        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(at, Convert.ToHexString(stored.SecretHash.Span));
        Assert.Equal(retired[^1], Convert.ToHexString(stored.PreviousSecretHash!.Value.Span));
        Assert.Equal(wins.Count, stored.Generation);
        foreach (string hash in retired)
        {
            Assert.Null(await Store.FindBySecretHashAsync(Convert.FromHexString(hash), None));
        }
    }

    [Fact]
    public async Task PurgedSessionsAreNeverListedCountedOrFound()
    {
        IssuedSession revoked = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession idle = await Sessions.CreateAsync("user-1", Laptop, None);
        await Attributes.SetAsync(idle.Session.Handle, "theme", "dark", None);
        await Sessions.RevokeAsync(revoked.Session.Handle, RevocationReasons.SignedOut, None);
        Time.Advance(Options.IdleTimeout + TimeSpan.FromMinutes(1));
        IssuedSession alive = await Sessions.CreateAsync("user-1", Laptop, None);

        Assert.Equal(2, await ((ISessionCleanup)Store).PurgeAsync(Clock.Now(Time), None));

        Assert.Equal([alive.Session.Handle], (await Sessions.ListAsync("user-1", None)).Select(s => s.Handle));
        Assert.Null(await Store.FindBySecretHashAsync(HashOf(idle.Secret), None));
        Assert.Null(await Store.FindByHandleAsync(revoked.Session.Handle, None));
        Assert.Equal(AttributeWrite.SessionNotFound, await ((ISessionAttributeStore)Store).SetAttributeAsync(idle.Session.Handle, "theme", "light", 8, None));
        Assert.False(await Store.RevokeAsync(idle.Session.Handle, Clock.Now(Time), RevocationReasons.SignedOut, None));
        Assert.Equal(1, await Sessions.RevokeAllAsync("user-1", null, RevocationReasons.SignedOutEverywhere, None));
        Assert.Equal(0, await ((ISessionCleanup)Store).PurgeAsync(Time.GetUtcNow() - TimeSpan.FromDays(1), None));
    }

    [Fact]
    public async Task UserIdsThatLookAlikeOrLikeKeySyntaxStayApart()
    {
        string[] users = ["a", "a:b", "a*", "a?", "[a]", "a b", "ä", "a\\"];
        Dictionary<string, IssuedSession> issued = [];
        foreach (string user in users)
        {
            issued[user] = await Sessions.CreateAsync(user, Laptop, None);
        }

        foreach (string user in users)
        {
            Assert.Equal([issued[user].Session.Handle], (await Sessions.ListAsync(user, None)).Select(s => s.Handle));
        }

        Assert.Equal(1, await Sessions.RevokeAllAsync("a*", null, RevocationReasons.SignedOutEverywhere, None));
        foreach (string user in users)
        {
            Assert.Equal(user == "a*" ? 0 : 1, (await Sessions.ListAsync(user, None)).Count);
        }
    }

    [Fact]
    public async Task ATouchAfterManyRotationsStillFindsTheSessionByItsCurrentSecret()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] current = issued.Session.SecretHash.ToArray();
        for (int i = 0; i < 5; i++)
        {
            byte[] next = SessionSecret.Generate().Hash;
            Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, current, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None));
            current = next;
            Time.Advance(TimeSpan.FromHours(1));
            await Store.TouchAsync(issued.Session.Handle, Clock.Now(Time), Clock.Now(Time) + TimeSpan.FromDays(14), None);
        }

        SessionRecord? found = await Store.FindBySecretHashAsync(current, None);
        Assert.Equal(issued.Session.Handle, found?.Handle);
        Assert.Equal(Clock.Now(Time), found?.LastSeenAt);
        Assert.Single(await Sessions.ListAsync("user-1", None));
    }
}
