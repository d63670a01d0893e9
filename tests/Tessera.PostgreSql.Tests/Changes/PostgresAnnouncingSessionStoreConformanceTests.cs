using Npgsql;
using Tessera.Sessions;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// The session store conformance suite on the store that announces its changes (the change feed
/// on): its writes are the PostgreSQL statements with <c>RETURNING pg_notify(…)</c> and its own
/// attribute transaction, so they must keep every promise the plain store keeps.
/// </summary>
public sealed class PostgresAnnouncingSessionStoreConformanceTests(PostgresServer server) : SessionStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresSessionStore(_database.Database, announceChanges: true);
    }

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() => ValueTask.FromResult<ISessionStore>(new PostgresSessionStore(_database!.Open(), announceChanges: true));

    protected override ValueTask<long> StoredEntriesAsync() =>
        _database!.Database.RunAsync(async (connection, ct) =>
        {
            long rows = 0;
            foreach (string table in new[] { "sessions", "session_attributes" })
            {
                await using NpgsqlCommand count = connection.Command($"SELECT COUNT(*) FROM {table};");
                rows += (long)(await count.ExecuteScalarAsync(ct))!;
            }

            return rows;
        }, CancellationToken.None);

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
