using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary>
/// #13: two servers on one PostgreSQL database with <c>Tessera:Postgres:ChangeFeed</c> and
/// <c>Tessera:Postgres:NearCache</c> on: a sign-out on the first is refused by the second's near
/// cache once pushed (the servers' clocks are fake and never move, so no entry lifetime ran out).
/// </summary>
public sealed class PostgresChangeFeedServerTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ASignOutOnOneInstanceIsRefusedByTheOthersNearCacheOncePushed()
    {
        Dictionary<string, string?> settings = PostgresTestServer.Settings(await cluster.CreateDatabaseAsync());
        settings["Tessera:Postgres:ChangeFeed:Enabled"] = "true";
        settings["Tessera:Postgres:NearCache:Enabled"] = "true";
        using var first = new TestServerFactory(settings);
        using var second = new TestServerFactory(settings);
        HttpClient browser = first.CreateBrowser();
        await browser.RegisterAndSignInAsync("bob");
        Assert.IsAssignableFrom<NearCachedSessionStore>(second.Services.GetRequiredService<ISessionStore>());
        ISessionChangeFeed feed = second.Services.GetRequiredService<ISessionChangeFeed>();
        Assert.IsType<PostgresSessionChangeFeed>(feed);
        // Subscribed after the near cache: the feed calls its listeners in order, so once this one
        // has heard a change, the cache has dropped its copy.
        var heard = new Heard();
        using IDisposable subscription = feed.Subscribe(heard);
        await heard.WaitAsync(() => heard.Resets > 0);

        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "bob", password = Http.Password })).SetCookie()!);
        HttpClient two = second.CreateBareClient();
        Assert.Equal(HttpStatusCode.OK, (await two.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).StatusCode);
        Assert.True(((NearCachedSessionStore)second.Services.GetRequiredService<ISessionStore>()).Count > 0);
        int revokedBefore = heard.Revoked;
        Assert.Equal(HttpStatusCode.NoContent, (await first.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Delete, "/auth/session", cookie))).StatusCode);
        await heard.WaitAsync(() => heard.Revoked > revokedBefore);

        await (await two.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    private sealed class Heard : ISessionChangeListener
    {
        private int _resets;
        private int _revoked;

        public int Resets => Volatile.Read(ref _resets);

        public int Revoked => Volatile.Read(ref _revoked);

        public void OnChange(SessionChange change)
        {
            if (change.Kind == SessionChangeKind.Revoked)
            {
                Interlocked.Increment(ref _revoked);
            }
        }

        public void OnReset() => Interlocked.Increment(ref _resets);

        public void OnDisconnected()
        {
        }

        // Bounded only so a broken feed fails the test instead of hanging it; no timing is asserted.
        public async Task WaitAsync(Func<bool> condition)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!condition())
            {
                await Task.Delay(20, bound.Token);
            }
        }
    }
}
