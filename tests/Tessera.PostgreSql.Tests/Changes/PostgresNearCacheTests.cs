using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// The near cache (<see cref="NearCachedSessionStore"/>) over two PostgreSQL instances: B answers a
/// session from memory, and refuses it once A's revocation has been pushed to it. The caches run on
/// a fake clock that never moves during the push, so the refusal cannot come from an entry's lifetime.
/// </summary>
public sealed class PostgresNearCacheTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly TesseraSessionOptions _options = new() { TouchInterval = TimeSpan.FromMinutes(1) };
    private InstancesOnOneDatabase? _owned;

    private TemporaryDatabase Database => _owned!.Database;

    public async Task InitializeAsync() => _owned = await InstancesOnOneDatabase.CreateAsync(server);

    public Task DisposeAsync() => (_owned?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask();

    [Fact]
    public async Task ARevocationOnAIsRefusedByTheNearCacheOfBOnceItIsPushed()
    {
        (SessionService a, _, _) = await OpenAsync();
        (SessionService b, NearCachedSessionStore bCache, PostgresSessionChangeFeed bFeed) = await OpenAsync();
        var heard = new RecordingListener(TimeSpan.FromSeconds(30));
        using IDisposable subscription = bFeed.Subscribe(heard);
        await heard.WaitForResetsAsync(1);
        IssuedSession issued = await a.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.True((await b.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Succeeded);
        Assert.Equal(1, bCache.Count);

        Assert.True(await a.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None));
        // B's cache subscribed before this listener, and a feed calls its listeners in order: once
        // this one has heard the revocation, the cache has dropped its copy.
        await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle && c.Kind == SessionChangeKind.Revoked, "the pushed revocation");

        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await b.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task WithoutThePushBAnswersFromMemoryUntilTheEntryLifetimeEnds()
    {
        // What the push is for: a revocation written without announcing it is not seen by B's copy
        // (B really answers from memory), until the entry's lifetime bounds it.
        (SessionService b, NearCachedSessionStore bCache, _) = await OpenAsync();
        PostgresSessionStore quiet = new(Database.Open(), announceChanges: false);
        IssuedSession issued = await b.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.True((await b.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Succeeded);

        Assert.True(await quiet.RevokeAsync(issued.Session.Handle, Clock.Now(_time), RevocationReasons.SignedOut, CancellationToken.None));

        Assert.True((await b.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Succeeded);
        _time.Advance(new SessionNearCacheOptions().EntryLifetime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await b.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Error?.Code);
        Assert.Equal(1, bCache.Count);
    }

    /// <summary>An instance: its own pool, an announcing store behind a near cache, its own feed; the cache is ready once the feed reset it.</summary>
    private async Task<(SessionService Sessions, NearCachedSessionStore Cache, PostgresSessionChangeFeed Feed)> OpenAsync()
    {
        PostgresDatabase pool = Database.Open();
        var feed = new PostgresSessionChangeFeed(pool, new PostgresStoreOptions { ConnectionString = Database.ConnectionString }, PostgresFeeds.Options);
        _owned!.Own(feed);
        NearCachedSessionStore cache = NearCachedSessionStore.Create(new PostgresSessionStore(pool, announceChanges: true), feed, new SessionNearCacheOptions(), _time);
        _owned!.Own(cache);
        var ready = new RecordingListener(TimeSpan.FromSeconds(30));
        using (feed.Subscribe(ready))
        {
            await ready.WaitForResetsAsync(1);
        }

        Assert.True(cache.AnswersLocally);
        return (new SessionService(cache, _options, _time), cache, feed);
    }
}
