using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// What is particular to PostgreSQL's feed: a notification leaves only with a commit, the
/// listener's server process can be terminated and comes back as another, an unreadable payload
/// resets, and a store without the feed announces nothing.
/// </summary>
public sealed class PostgresSessionChangeFeedTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly List<SessionChangeFeedInstance> _instances = [];
    private readonly List<IDisposable> _subscriptions = [];
    private TemporaryDatabase? _database;

    private TemporaryDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await TemporaryDatabase.CreateAsync(server);

    public async Task DisposeAsync()
    {
        _subscriptions.ForEach(s => s.Dispose());
        foreach (SessionChangeFeedInstance instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [Fact]
    public async Task AChangeInATransactionThatRollsBackIsNeverHeardAndOneThatCommitsIs()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());
        IssuedSession rolledBack = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);
        IssuedSession committed = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);

        // The store's own announcing clause, in a transaction of the test's.
        await RevokeInTransactionAsync(rolledBack.Session.Handle, commit: false);
        await RevokeInTransactionAsync(committed.Session.Handle, commit: true);

        await heard.WaitForChangeAsync(c => c.Handle == committed.Session.Handle && c.Kind == SessionChangeKind.Revoked, "the committed revocation");
        await PassMarkerAsync(a, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Handle == rolledBack.Session.Handle);
        Assert.Null((await a.Store.FindByHandleAsync(rolledBack.Session.Handle, CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task ARotationThatFailsOnTheUniqueIndexIsRolledBackAndNotAnnounced()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());
        IssuedSession first = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);
        IssuedSession second = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);
        var rotation = (ISessionSecretRotation)a.Store;

        // The next hash is the other session's: the UPDATE matches the row, then fails the unique index.
        Assert.False(await rotation.TryRotateSecretAsync(first.Session.Handle, first.Session.SecretHash, second.Session.SecretHash, Clock.Now(_time), first.Session.IdleExpiresAt, CancellationToken.None));

        await PassMarkerAsync(a, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Handle == first.Session.Handle);
        Assert.Equal(first.Session.SecretHash.ToArray(), (await a.Store.FindByHandleAsync(first.Session.Handle, CancellationToken.None))!.SecretHash.ToArray());
    }

    [Fact]
    public async Task AStoreWithoutTheFeedAnnouncesNothing()
    {
        SessionChangeFeedInstance quiet = Open(announce: false);
        RecordingListener heard = await ListenAsync(Open());
        IssuedSession issued = await Sessions(quiet).CreateAsync("user-1", Laptop, CancellationToken.None);

        Assert.True(await Sessions(quiet).RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None));
        await quiet.Store.FlagAsync(issued.Session.Handle, Clock.Now(_time), "x", CancellationToken.None);

        await PassMarkerAsync(quiet, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Handle == issued.Session.Handle);
        Assert.False(((PostgresSessionStore)quiet.Store).AnnouncesChanges);
    }

    [Fact]
    public async Task ATerminatedListenerComesBackAsAnotherServerProcessAndHearsAgain()
    {
        SessionChangeFeedInstance a = Open();
        SessionChangeFeedInstance b = Open();
        RecordingListener heard = await ListenAsync(b);
        var feed = (PostgresSessionChangeFeed)b.Feed;

        int terminated = await PostgresFeeds.TerminateListenerAsync(Database, feed);

        await heard.WaitForDisconnectsAsync(1);
        await heard.WaitForResetsAsync(2);
        Assert.NotEqual(0, feed.ListenerProcessId);
        Assert.NotEqual(terminated, feed.ListenerProcessId);
        Assert.Equal(new[] { "reset", "disconnected", "reset" }, heard.Events);
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);
        await Sessions(a).RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None);
        await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "a revocation after the reconnect");
    }

    [Fact]
    public async Task AnUnreadablePayloadResetsEveryListener()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());

        await NotifyRawAsync("""{"kind":"renamed-in-a-later-version","handle":"h-1"}""");
        await heard.WaitForResetsAsync(2);
        await NotifyRawAsync("not json");
        await heard.WaitForResetsAsync(3);
        // A lone surrogate escape is valid JSON grammar but no text: reading it threw, and the listener
        // took that for a lost connection (any role that can connect may NOTIFY, so the feed could be kept flapping).
        await NotifyRawAsync("""{"\ud800":1,"kind":"revoked","handle":"h-1"}""");
        await heard.WaitForResetsAsync(4);
        await NotifyRawAsync("""{"kind":"revoked","handle":"h-\udc00"}""");
        await heard.WaitForResetsAsync(5);
        // A handle too long for a payload is announced as a reset, never dropped.
        await a.Feed.PublishAsync(new SessionChange(SessionChangeKind.Revoked, new string('h', PostgresSessionChanges.MaxHandleBytes + 1)), CancellationToken.None);

        await heard.WaitForResetsAsync(6);
        Assert.Empty(heard.Changes);
        Assert.Equal(0, heard.Disconnects);
    }

    [Fact]
    public async Task AUserIdTooLongForAPayloadIsLeftOutAndTheRevocationStillHappens()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());
        string longUser = new('u', PostgresSessionChanges.MaxUserBytes + 500);
        IssuedSession issued = await Sessions(a).CreateAsync(longUser, Laptop, CancellationToken.None);

        Assert.Equal(1, await Sessions(a).RevokeAllAsync(longUser, null, RevocationReasons.SignedOutEverywhere, CancellationToken.None));

        SessionChange change = await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "the revocation");
        Assert.Equal(SessionChangeKind.Revoked, change.Kind);
        Assert.Null(change.UserId);
    }

    [Fact]
    public async Task TwoSchemasInOneDatabaseDoNotHearEachOther()
    {
        string otherSchema = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { SearchPath = "tenant_b" }.ConnectionString;
        await ExecuteAsync(Database.ConnectionString, "CREATE SCHEMA tenant_b;");
        var other = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = otherSchema });
        await using (other)
        {
            await other.MigrateAsync(TesseraPostgresSchema.Migrations, CancellationToken.None);
            var otherStore = new PostgresSessionStore(other, announceChanges: true);
            SessionChangeFeedInstance mine = Open();
            RecordingListener heard = await ListenAsync(mine);
            IssuedSession elsewhere = await new SessionService(otherStore, new TesseraSessionOptions(), _time).CreateAsync("user-1", Laptop, CancellationToken.None);

            Assert.True(await otherStore.RevokeAsync(elsewhere.Session.Handle, Clock.Now(_time), RevocationReasons.SignedOut, CancellationToken.None));

            await PassMarkerAsync(mine, heard);
            Assert.DoesNotContain(heard.Changes, c => c.Handle == elsewhere.Session.Handle);
        }
    }

    [Fact]
    public async Task APurgeOfThousandsOfEndedSessionsAnnouncesOneResetAndNoRow()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());
        var payloads = new ConcurrentQueue<string>();
        await using RawChannelListener raw = await RawChannelListener.StartAsync(Database.ConnectionString, payloads.Enqueue);
        IssuedSession alive = await Sessions(a).CreateAsync("user-1", Laptop, CancellationToken.None);
        await InsertEndedSessionsAsync(3000);

        Assert.Equal(3000, await ((ISessionCleanup)a.Store).PurgeAsync(Clock.Now(_time), CancellationToken.None));

        await heard.WaitForResetsAsync(2);
        string marker = await PassMarkerAsync(a, heard);
        await WaitForAsync(() => payloads.Any(p => p.Contains(marker, StringComparison.Ordinal)), "the marker on the raw channel");
        Assert.Equal(1, payloads.Count(p => p == PostgresSessionChanges.ResetPayload));
        Assert.DoesNotContain(payloads, p => p.Contains("\"deleted\"", StringComparison.Ordinal));
        Assert.Equal(2, heard.Resets);
        Assert.Equal([marker], heard.Changes.Select(c => c.Handle));
        Assert.NotNull(await a.Store.FindByHandleAsync(alive.Session.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task APurgeOfAtMostTheBoundAnnouncesEachDeletedSessionAndNoReset()
    {
        SessionChangeFeedInstance a = Open();
        RecordingListener heard = await ListenAsync(Open());
        await InsertEndedSessionsAsync(PostgresSessionStore.PurgeAnnouncedOneByOne);

        Assert.Equal(PostgresSessionStore.PurgeAnnouncedOneByOne, await ((ISessionCleanup)a.Store).PurgeAsync(Clock.Now(_time), CancellationToken.None));

        await heard.WaitUntilAsync(() => heard.Changes.Count(c => c.Kind == SessionChangeKind.Deleted) == PostgresSessionStore.PurgeAnnouncedOneByOne, "each purged session");
        await PassMarkerAsync(a, heard);
        Assert.Equal(
            Enumerable.Range(1, PostgresSessionStore.PurgeAnnouncedOneByOne).Select(i => "ended-" + i).Order(StringComparer.Ordinal),
            heard.Changes.Where(c => c.Kind == SessionChangeKind.Deleted).Select(c => c.Handle).Order(StringComparer.Ordinal));
        Assert.Equal(1, heard.Resets);
    }

    [Fact]
    public void APayloadNamesKindHandleAndUserOnlyAndReadsBack()
    {
        var change = new SessionChange(SessionChangeKind.Deleted, "h-1", "user \"é\"");

        string payload = PostgresSessionChanges.Payload(change);

        Assert.Equal("""{"kind":"deleted","handle":"h-1","user":"user \u0022\u00E9\u0022"}""", payload);
        Assert.Equal(change, PostgresSessionChanges.Read(payload));
        Assert.Equal(new SessionChange(SessionChangeKind.Changed, "h-2"), PostgresSessionChanges.Read("""{"kind" : "changed", "handle" : "h-2", "user" : null}"""));
        Assert.Null(PostgresSessionChanges.Read(PostgresSessionChanges.ResetPayload));
        Assert.Null(PostgresSessionChanges.Read("""{"kind":"revoked"}"""));
        Assert.Null(PostgresSessionChanges.Read("""{"kind":"revoked","handle":""}"""));
        Assert.Null(PostgresSessionChanges.Read("[1]"));
    }

    private SessionChangeFeedInstance Open(bool announce = true)
    {
        SessionChangeFeedInstance instance = PostgresFeeds.Open(Database, announce);
        _instances.Add(instance);
        return instance;
    }

    private SessionService Sessions(SessionChangeFeedInstance instance) => new(instance.Store, new TesseraSessionOptions(), _time);

    private async Task<RecordingListener> ListenAsync(SessionChangeFeedInstance instance)
    {
        var heard = new RecordingListener(Bound);
        _subscriptions.Add(instance.Feed.Subscribe(heard));
        await heard.WaitForResetsAsync(1);
        return heard;
    }

    private static async Task<string> PassMarkerAsync(SessionChangeFeedInstance from, RecordingListener heard)
    {
        string marker = "marker-" + Guid.NewGuid().ToString("N");
        await from.Feed.PublishAsync(new SessionChange(SessionChangeKind.Changed, marker), CancellationToken.None);
        await heard.WaitForChangeAsync(c => c.Handle == marker, "the marker");
        return marker;
    }

    // Bounded only so a broken feed fails instead of hanging; nothing about speed is asserted.
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Never saw: {what}.");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    // Sessions that ended a year before the tests' clock, written in one statement ("ended-1" … "ended-N").
    private Task InsertEndedSessionsAsync(int count) => ExecuteAsync(Database.ConnectionString, """
        INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format)
        SELECT 'ended-' || g, decode(md5('ended-' || g), 'hex'), 'user-' || (g % 50), t, t, t, t, 1
        FROM generate_series(1, @count) AS g, (SELECT timestamptz '2029-01-01 00:00:00+00' AS t) AS at;
        """, ("count", count));

    private async Task RevokeInTransactionAsync(string handle, bool commit)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await using (NpgsqlCommand revoke = new("UPDATE sessions SET revoked_at = now(), revoked_reason = 'test' WHERE handle = @handle AND revoked_at IS NULL" + PostgresSessionChanges.Returning(SessionChangeKind.Revoked) + ";", connection, transaction))
        {
            revoke.Parameters.AddWithValue("handle", handle);
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    private Task NotifyRawAsync(string payload) =>
        ExecuteAsync(Database.ConnectionString, $"SELECT pg_notify({PostgresSessionChanges.ChannelSql}, @payload);", ("payload", payload));

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new(sql, connection);
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
