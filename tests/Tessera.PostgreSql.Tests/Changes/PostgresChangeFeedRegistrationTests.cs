using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Conformance.Changes;
using Tessera.Telemetry;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>What <c>AddTesseraPostgresChangeFeed</c> registers, and what it refuses.</summary>
public sealed class PostgresChangeFeedRegistrationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task WithTheFeedTheStoreAnnouncesAndTheFeedHearsIt()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var services = new ServiceCollection();
        services.AddTesseraPostgres(temporary.ConnectionString);
        services.AddTesseraPostgresChangeFeed(feed => feed.Staleness = TimeSpan.FromSeconds(3));
        await using ServiceProvider provider = services.BuildServiceProvider();

        var store = Assert.IsType<PostgresSessionStore>(provider.GetRequiredService<ISessionStore>());
        ISessionChangeFeed feed = provider.GetRequiredService<ISessionChangeFeed>();
        Assert.Same(provider.GetRequiredService<PostgresSessionChangeFeed>(), feed);
        Assert.True(store.AnnouncesChanges);
        Assert.Equal(TimeSpan.FromSeconds(3), feed.Staleness);

        var heard = new RecordingListener(TimeSpan.FromSeconds(30));
        using IDisposable subscription = feed.Subscribe(heard);
        await heard.WaitForResetsAsync(1);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        IssuedSession issued = await sessions.CreateAsync("user-1", new SessionClient(null, null), CancellationToken.None);
        await sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None);
        await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle && c.Kind == SessionChangeKind.Revoked, "the revocation");
    }

    [Fact]
    public async Task WithoutTheFeedNothingIsAnnouncedOrRegistered()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var services = new ServiceCollection();
        services.AddTesseraPostgres(temporary.ConnectionString);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.False(Assert.IsType<PostgresSessionStore>(provider.GetRequiredService<ISessionStore>()).AnnouncesChanges);
        Assert.Null(provider.GetService<ISessionChangeFeed>());
    }

    [Fact]
    public async Task WithTheNearCacheTheSessionStoreIsCachedInFrontOfTheAnnouncingStore()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var services = new ServiceCollection();
        services.AddTesseraPostgres(options =>
        {
            options.Database.ConnectionString = temporary.ConnectionString;
            options.NearCache.Enabled = true;
        });
        services.AddTesseraPostgresChangeFeed();
        await using ServiceProvider provider = services.BuildServiceProvider();

        ISessionStore store = provider.GetRequiredService<ISessionStore>();

        Assert.IsAssignableFrom<NearCachedSessionStore>(store);
        Assert.IsAssignableFrom<ISessionSecretRotation>(store);
        Assert.IsAssignableFrom<ISessionCleanup>(store);
        // The tessera.sessions.active gauge still has its source: the database's count, through the cache.
        await new SessionService(store, new TesseraSessionOptions(), TimeProvider.System).CreateAsync("user-1", new SessionClient(null, null), CancellationToken.None);
        Assert.Equal(1, await Assert.IsAssignableFrom<IActiveSessionCount>(store).CountActiveSessionsAsync(TimeProvider.System.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public void ANearCacheWithoutTheChangeFeedIsRefused()
    {
        var services = new ServiceCollection();
        services.AddTesseraPostgres(options =>
        {
            options.Database.ConnectionString = "Host=127.0.0.1;Database=unused";
            options.NearCache.Enabled = true;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TesseraPostgresOptions>>().Value);
        Assert.Contains("Tessera:Postgres:ChangeFeed:Enabled", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5000)]
    [InlineData(-1000, 5000)]
    [InlineData(5000, 50)]
    [InlineData(600_000, 5000)]
    public void AFeedWithoutAPositiveStalenessOrWithATooShortHeartbeatIsRefused(int stalenessMs, int heartbeatMs)
    {
        var services = new ServiceCollection();
        services.AddTesseraPostgres("Host=127.0.0.1;Database=unused");
        services.AddTesseraPostgresChangeFeed(feed =>
        {
            feed.Staleness = TimeSpan.FromMilliseconds(stalenessMs);
            feed.Heartbeat = TimeSpan.FromMilliseconds(heartbeatMs);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TesseraPostgresOptions>>().Value);
        Assert.Contains("Tessera:Postgres:ChangeFeed", refused.Message, StringComparison.Ordinal);
    }
}
