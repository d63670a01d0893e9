using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Dpop;
using Tessera.Replay;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

/// <summary>
/// Single-use marks shared through PostgreSQL: a DPoP proof (RFC 9449 §11.1) or client assertion
/// (RFC 7523 §3) used at one instance is refused at every other that shares the database.
/// </summary>
public sealed class PostgresReplayStoreTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public async Task AMarkTakenAtOneInstanceIsRefusedAtAnother()
    {
        await using TemporaryDatabase temporary = await MigratedAsync();
        var first = new PostgresReplayStore(temporary.Database, _time);
        var second = new PostgresReplayStore(temporary.Open(), _time);

        Assert.True(await first.TryMarkAsync("dpop-jti:a", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.False(await second.TryMarkAsync("dpop-jti:a", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.False(await first.TryMarkAsync("dpop-jti:a", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True(await second.TryMarkAsync("dpop-jti:b", TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task OfManyInstancesTakingTheSameMarkAtOnceExactlyOneSucceeds()
    {
        await using TemporaryDatabase temporary = await MigratedAsync();
        PostgresReplayStore[] instances = [.. Enumerable.Range(0, 4).Select(_ => new PostgresReplayStore(temporary.Open(), _time))];

        for (int round = 0; round < 5; round++)
        {
            string key = "client-assertion-jti:" + round;
            bool[] taken = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => instances[i % 4].TryMarkAsync(key, TimeSpan.FromMinutes(5), CancellationToken.None).AsTask()));
            Assert.Single(taken, t => t);
        }
    }

    [Fact]
    public async Task AnInstancePurgesEndedMarksOnItsOwnOncePerInterval()
    {
        // Taking and re-taking marks is the conformance suite's (PostgresReplayStoreConformanceTests); this is the purge.
        await using TemporaryDatabase temporary = await MigratedAsync();
        var store = new PostgresReplayStore(temporary.Database, _time);
        Assert.True(await store.TryMarkAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await store.TryMarkAsync("other", TimeSpan.FromMinutes(1), CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await store.TryMarkAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));

        // A minute after its first mark the instance purged the ended "other" on its own; "k" was taken again and is live.
        Assert.Equal(1L, await RowsAsync(temporary));
        Assert.Equal(0, await store.PurgeAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await store.PurgeAsync(CancellationToken.None));
        Assert.Equal(0L, await RowsAsync(temporary));
    }

    [Fact]
    public async Task APurgeClearsABacklogLargerThanOneBatch()
    {
        await using TemporaryDatabase temporary = await MigratedAsync();
        await temporary.Database.RunAsync(async (connection, ct) =>
        {
            await using Npgsql.NpgsqlCommand command = connection.Command("INSERT INTO replay_marks (key, expires_at) SELECT 'old:' || i, @ended FROM generate_series(1, 25000) AS i;")
                .With("ended", _time.GetUtcNow() - TimeSpan.FromMinutes(1));
            return await command.ExecuteNonQueryAsync(ct);
        }, CancellationToken.None);

        // The first mark of an instance takes its purge turn: one batch of 10,000 left 15,000 ended rows behind.
        var store = new PostgresReplayStore(temporary.Database, _time);
        Assert.True(await store.TryMarkAsync("new", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(1L, await RowsAsync(temporary));
    }

    [Fact]
    public async Task APurgeDoesNotDeleteAMarkReTakenWhileItWaitedForTheRow()
    {
        // The purge's subquery picks ended rows; another instance may re-take one of them (Mark's DO UPDATE)
        // before the DELETE reaches it. PostgreSQL then re-checks the DELETE's own WHERE on the new row
        // version, not the subquery's choice: without "AND expires_at <= @now" the live mark was deleted
        // and its proof accepted a second time.
        await using TemporaryDatabase temporary = await MigratedAsync();
        DateTimeOffset now = _time.GetUtcNow();
        await using var retaker = new Npgsql.NpgsqlConnection(temporary.ConnectionString);
        await retaker.OpenAsync();
        await using (Npgsql.NpgsqlCommand insert = new("INSERT INTO replay_marks (key, expires_at) VALUES ('k', @ended);", retaker))
        {
            insert.Parameters.AddWithValue("ended", now - TimeSpan.FromMinutes(1));
            await insert.ExecuteNonQueryAsync();
        }

        // Another instance re-takes the ended mark and holds its transaction open.
        await using Npgsql.NpgsqlTransaction transaction = await retaker.BeginTransactionAsync();
        await using (Npgsql.NpgsqlCommand retake = new("UPDATE replay_marks SET expires_at = @until WHERE key = 'k' AND expires_at <= @now;", retaker, transaction))
        {
            retake.Parameters.AddWithValue("until", now + TimeSpan.FromMinutes(5));
            retake.Parameters.AddWithValue("now", now);
            Assert.Equal(1, await retake.ExecuteNonQueryAsync());
        }

        // This instance's first mark takes its purge turn; the purge's subquery still sees "k" ended and waits for its row.
        var store = new PostgresReplayStore(temporary.Database, _time);
        Task<bool> marking = store.TryMarkAsync("other", TimeSpan.FromMinutes(1), CancellationToken.None).AsTask();
        await WaitUntilADeleteWaitsForARowLockAsync(temporary);

        await transaction.CommitAsync();

        Assert.True(await marking);
        Assert.Equal(2L, await RowsAsync(temporary));
        Assert.False(await store.TryMarkAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task ADpopProofUsedAtOneInstanceIsRefusedAtAnotherWhenBothUseAddTesseraPostgres()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using ServiceProvider one = Instance(temporary.ConnectionString);
        await using ServiceProvider two = Instance(temporary.ConnectionString);
        // The registered migrator creates the marks' table with Tessera's own.
        await one.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);

        Assert.IsType<PostgresReplayStore>(one.GetRequiredService<IReplayStore>());
        var atOne = new DpopReplayCache(one.GetRequiredService<IReplayStore>());
        var atTwo = new DpopReplayCache(two.GetRequiredService<IReplayStore>());

        Assert.True(await atOne.TryUseAsync("thumbprint", "proof-1", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.False(await atTwo.TryUseAsync("thumbprint", "proof-1", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True(await atTwo.TryUseAsync("other-thumbprint", "proof-1", TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task AMarkFailsClosedWhenTheDatabaseIsUnreachable()
    {
        var unreachable = new PostgresDatabase(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=none;Database=none",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });
        await using (unreachable)
        {
            var store = new PostgresReplayStore(unreachable, _time);
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.TryMarkAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None).AsTask());
        }
    }

    private static ValueTask<long> RowsAsync(TemporaryDatabase temporary) =>
        temporary.Database.RunAsync(async (connection, ct) =>
        {
            await using Npgsql.NpgsqlCommand command = connection.Command("SELECT count(*) FROM replay_marks;");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);

    // Polls pg_stat_activity (no timing asserted): the purge is blocked on the re-taker's row lock.
    private static async Task WaitUntilADeleteWaitsForARowLockAsync(TemporaryDatabase temporary)
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            long waiting = await temporary.Database.RunAsync(async (connection, ct) =>
            {
                await using Npgsql.NpgsqlCommand command = connection.Command("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM replay_marks%';");
                return (long)(await command.ExecuteScalarAsync(ct))!;
            }, CancellationToken.None);
            if (waiting > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The purge never waited for the re-taken row.");
    }

    private static ServiceProvider Instance(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddTesseraPostgres(connectionString);
        return services.BuildServiceProvider();
    }

    private async Task<TemporaryDatabase> MigratedAsync()
    {
        TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        await temporary.Database.MigrateAsync(PostgresReplayStore.Migrations, CancellationToken.None);
        return temporary;
    }
}
