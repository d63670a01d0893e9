using Microsoft.Data.Sqlite;
using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteSessionStore(_database.Database);
    }

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISessionStore>(new SqliteSessionStore(new SqliteDatabase(_database!.Database.Path)));

    protected override async ValueTask<long> StoredEntriesAsync()
    {
        await using SqliteConnection connection = await _database!.Database.OpenAsync(CancellationToken.None);
        var tables = new List<string>();
        await using (SqliteCommand list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations';";
            await using SqliteDataReader reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long rows = 0;
        foreach (string table in tables)
        {
            await using SqliteCommand count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\";";
            rows += (long)(await count.ExecuteScalarAsync())!;
        }

        return rows;
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
