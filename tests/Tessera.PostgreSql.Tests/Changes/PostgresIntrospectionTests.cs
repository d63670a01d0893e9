using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;
using Tessera.Tokens;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// RFC 7662 introspection (<see cref="TokenService.InspectAnyAccessTokenAsync"/>,
/// <see cref="TokenService.InspectRefreshTokenAsync"/>) on PostgreSQL with the change feed and the
/// near cache on (issue #13): answered from memory, and what we promise about how current it is —
/// a revocation on another instance makes the token inactive once its change arrives, on the
/// revoking instance on the very next call; with the feed not connected, or lost for longer than its
/// staleness bound, every answer comes from the store. The caches' entries live for an hour on a
/// clock that moves only when a test says so: an answer that changes cannot come from an entry's lifetime.
/// </summary>
public sealed class PostgresIntrospectionTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Issuer = "https://id.example.test";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TesseraTokenOptions _tokenOptions = new();
    private readonly SameProtector _protector = new();
    private InstancesOnOneDatabase? _owned;

    private TemporaryDatabase Database => _owned!.Database;

    public async Task InitializeAsync() => _owned = await InstancesOnOneDatabase.CreateAsync(server);

    public Task DisposeAsync() => (_owned?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask();

    [Fact]
    public async Task ARevocationOnAnotherInstanceMakesBothTokensInactiveOnceItsChangeArrives()
    {
        Instance a = await OpenAsync();
        Instance b = await OpenAsync();
        IssuedTokens issued = await a.Tokens.IssueAsync("user-1", Laptop, Issuer, CancellationToken.None);
        Assert.True((await b.InspectAccessAsync(issued)).Succeeded);
        Assert.NotNull(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));
        Assert.Equal(1, b.Cache.Count);

        Assert.True(await a.Tokens.RevokeAsync(issued.RefreshToken, CancellationToken.None));

        await PollUntilAsync(async () => !(await b.InspectAccessAsync(issued)).Succeeded, "B's introspection of the access token turns inactive");
        Assert.Null(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));
    }

    [Fact]
    public async Task BAnswersFromMemoryAChangeThatWasNotAnnounced()
    {
        // What the feed is for, and proof that introspection really is answered from memory here:
        // a revocation written without announcing it is not seen while the feed is connected.
        Instance b = await OpenAsync();
        IssuedTokens issued = await IssueActiveAsync(b);

        await RevokeQuietlyAsync(issued);

        Assert.True((await b.InspectAccessAsync(issued)).Succeeded);
        Assert.True(b.Cache.AnswersLocally);
    }

    [Fact]
    public async Task ARevocationOnTheSameInstanceIsSeenOnTheVeryNextCall()
    {
        Instance b = await OpenAsync();
        IssuedTokens issued = await IssueActiveAsync(b);
        Assert.NotNull(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));

        // RFC 7009 with the access token: ends the session its sid names.
        Assert.True((await b.Tokens.RevokeTokenAsync(issued.AccessToken, clientId: null, Issuer, CancellationToken.None)).Value);

        Assert.False((await b.InspectAccessAsync(issued)).Succeeded);
        Assert.Null(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));
    }

    [Fact]
    public async Task WithTheFeedNeverConnectedEveryAnswerComesFromTheStore()
    {
        // The listening connection names a database that does not exist: the feed never connects.
        string unreachable = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Database = "tessera_no_such_database" }.ConnectionString;
        Instance b = await OpenAsync(feedConnection: unreachable, waitForFeed: false);
        IssuedTokens issued = await IssueActiveAsync(b);
        Assert.NotNull(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));

        await RevokeQuietlyAsync(issued);

        Assert.False(b.Cache.AnswersLocally);
        Assert.Equal(0, b.Cache.Count);
        Assert.False((await b.InspectAccessAsync(issued)).Succeeded);
        Assert.Null(await b.Tokens.InspectRefreshTokenAsync(issued.RefreshToken, CancellationToken.None));
    }

    [Fact]
    public async Task WithTheFeedLostForLongerThanItsStalenessBoundTheStoreIsRead()
    {
        Instance b = await OpenAsync();
        IssuedTokens issued = await IssueActiveAsync(b);
        await RevokeQuietlyAsync(issued);
        var heard = new RecordingListener(Deadline);
        using IDisposable subscription = b.Feed.Subscribe(heard);
        await heard.WaitForResetsAsync(1);

        // Lose the feed and keep it lost: no new connection to this database is accepted (B's pool
        // keeps the one it has), and B's listening server process is ended.
        var connection = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        string name = connection.Database!;
        // PostgreSQL refuses ALTER DATABASE … ALLOW_CONNECTIONS from a connection to that database.
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        try
        {
            await ExecuteAsync(admin, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false;");
            int listener = b.Feed.ListenerProcessId;
            Assert.NotEqual(0, listener);
            await ExecuteAsync(admin, $"SELECT pg_terminate_backend({listener});");
            await heard.WaitForDisconnectsAsync(1);

            // Within the bound the held copy may still answer (the documented staleness); past it, never.
            _time.Advance(PostgresFeeds.Options.Staleness + TimeSpan.FromMilliseconds(1));
            Assert.False(b.Cache.AnswersLocally);
            Assert.Equal(1, heard.Resets);
            Assert.False((await b.InspectAccessAsync(issued)).Succeeded);
        }
        finally
        {
            await ExecuteAsync(admin, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true;");
        }
    }

    /// <summary>Tokens issued on <paramref name="instance"/>, whose access token it then introspects as active.</summary>
    private static async Task<IssuedTokens> IssueActiveAsync(Instance instance)
    {
        IssuedTokens issued = await instance.Tokens.IssueAsync("user-1", Laptop, Issuer, CancellationToken.None);
        Assert.True((await instance.InspectAccessAsync(issued)).Succeeded);
        return issued;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task PollUntilAsync(Func<Task<bool>> condition, string what)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Not within {Deadline}: {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Revokes the token's session through a store that does not announce it (an instance without the feed).</summary>
    private async Task RevokeQuietlyAsync(IssuedTokens issued)
    {
        var quiet = new PostgresSessionStore(Database.Open(), announceChanges: false);
        Assert.True(await quiet.RevokeAsync(issued.Session.Handle, _time.GetUtcNow(), RevocationReasons.SignedOut, CancellationToken.None));
    }

    /// <summary>A server instance: its own pool, an announcing store behind a near cache, its own feed, a token service over them.</summary>
    private async Task<Instance> OpenAsync(string? feedConnection = null, bool waitForFeed = true)
    {
        PostgresDatabase pool = Database.Open();
        var feed = new PostgresSessionChangeFeed(pool, new PostgresStoreOptions { ConnectionString = feedConnection ?? Database.ConnectionString }, PostgresFeeds.Options);
        _owned!.Own(feed);
        NearCachedSessionStore cache = NearCachedSessionStore.Create(
            new PostgresSessionStore(pool, announceChanges: true), feed, new SessionNearCacheOptions { EntryLifetime = TimeSpan.FromHours(1) }, _time);
        _owned!.Own(cache);
        var keys = new SigningKeyRing(new PostgresSigningKeyStore(pool), _protector, _tokenOptions, _time);
        _owned!.Own(keys);
        if (waitForFeed)
        {
            var ready = new RecordingListener(Deadline);
            using (feed.Subscribe(ready))
            {
                await ready.WaitForResetsAsync(1);
            }

            Assert.True(cache.AnswersLocally);
        }

        var sessions = new SessionService(cache, new TesseraSessionOptions(), _time);
        return new Instance(new TokenService(cache, sessions, keys, _tokenOptions, _time), cache, feed);
    }

    private sealed record Instance(TokenService Tokens, NearCachedSessionStore Cache, PostgresSessionChangeFeed Feed)
    {
        public ValueTask<Outcome<InspectedAccessToken>> InspectAccessAsync(IssuedTokens issued) =>
            Tokens.InspectAnyAccessTokenAsync(issued.AccessToken, Issuer, CancellationToken.None);
    }

    /// <summary>Both instances read the signing keys the first one stored; protection at rest is not what is tested here.</summary>
    private sealed class SameProtector : ISecretProtector
    {
        public string Protect(string plaintext) => plaintext;

        public string Unprotect(string protectedValue) => protectedValue;
    }
}
