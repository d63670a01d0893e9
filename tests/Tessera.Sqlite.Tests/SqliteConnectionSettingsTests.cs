using Microsoft.Data.Sqlite;

namespace Tessera.Sqlite.Tests;

/// <summary>
/// <c>synchronous = NORMAL</c> is set once per native connection handle, not per open: every
/// connection the database hands out has it, whether the pool reuses a handle, opens new ones
/// side by side, or starts again after its pools were cleared.
/// </summary>
public sealed class SqliteConnectionSettingsTests
{
    private const long Normal = 1; // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL (SQLite's default)

    [Fact]
    public async Task EveryConnectionHandedOutIsSynchronousNormal()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();
        SqliteDatabase database = temporary.Database;

        for (int i = 0; i < 3; i++)
        {
            // The same pooled handle, opened again.
            Assert.Equal(Normal, await SynchronousAsync(database));
        }

        // Several at once: new handles beside the pooled one.
        SqliteConnection[] open = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.OpenAsync(CancellationToken.None).AsTask()));
        try
        {
            Assert.Equal(4, open.Select(c => c.Handle).Distinct().Count());
            foreach (SqliteConnection connection in open)
            {
                Assert.Equal(Normal, await ScalarAsync(connection, "PRAGMA synchronous;"));
            }
        }
        finally
        {
            foreach (SqliteConnection connection in open)
            {
                await connection.DisposeAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(Normal, await SynchronousAsync(database));
    }

    [Fact]
    public async Task AConnectionOpenedWithoutTheDatabaseKeepsSqlitesDefault()
    {
        // The check above could not fail if every connection were NORMAL anyway: one opened
        // directly on the same file, not through SqliteDatabase, is FULL.
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();
        await using var direct = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary.Database.Path, Pooling = false }.ToString());
        await direct.OpenAsync();

        Assert.Equal(2L, await ScalarAsync(direct, "PRAGMA synchronous;"));
    }

    private static async Task<long> SynchronousAsync(SqliteDatabase database)
    {
        await using SqliteConnection connection = await database.OpenAsync(CancellationToken.None);
        return await ScalarAsync(connection, "PRAGMA synchronous;");
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
