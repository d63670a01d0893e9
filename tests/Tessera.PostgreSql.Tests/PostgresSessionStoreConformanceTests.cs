using Npgsql;
using Tessera.Sessions;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresSessionStoreConformanceTests(PostgresServer server) : SessionStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresSessionStore(_database.Database);
    }

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() => ValueTask.FromResult<ISessionStore>(new PostgresSessionStore(_database!.Open()));

    protected override ValueTask<long> StoredEntriesAsync() =>
        _database!.Database.RunAsync(async (connection, ct) =>
        {
            var tables = new List<string>();
            await using (NpgsqlCommand list = connection.Command("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations';"))
            await using (NpgsqlDataReader reader = await list.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            long rows = 0;
            foreach (string table in tables)
            {
                await using NpgsqlCommand count = connection.Command($"SELECT COUNT(*) FROM \"{table}\";");
                rows += (long)(await count.ExecuteScalarAsync(ct))!;
            }

            return rows;
        }, CancellationToken.None);

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
