using Microsoft.Extensions.Time.Testing;
using Tessera.Replay;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

/// <summary>
/// The conformance suite against a real PostgreSQL. The store sends its <see cref="TimeProvider"/>'s
/// "now" with each statement (the table never reads the database's clock), so a fake clock set years
/// ahead of the server's decides every expiry here: a store that used <c>now()</c> would fail the
/// ended-mark case.
/// </summary>
public sealed class PostgresReplayStoreConformanceTests(PostgresServer server) : ReplayStoreConformanceTests, IClassFixture<PostgresServer>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private TemporaryDatabase? _database;

    protected override TimeSpan ShortLifetime => TimeSpan.FromSeconds(30);

    protected override async ValueTask<IReplayStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await _database.Database.MigrateAsync(PostgresReplayStore.Migrations, CancellationToken.None);
        return new PostgresReplayStore(_database.Database, _time);
    }

    protected override Task PassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
