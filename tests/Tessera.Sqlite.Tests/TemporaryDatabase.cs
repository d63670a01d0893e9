using Microsoft.Data.Sqlite;

namespace Tessera.Sqlite.Tests;

/// <summary>A migrated database in a fresh temporary folder, deleted afterwards.</summary>
internal sealed class TemporaryDatabase : IAsyncDisposable
{
    private TemporaryDatabase(string folder)
    {
        Folder = folder;
        Database = new SqliteDatabase(Path.Combine(folder, "tessera.db"));
    }

    public string Folder { get; }

    public SqliteDatabase Database { get; }

    public static async Task<TemporaryDatabase> CreateAsync(bool migrate = true)
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-sqlite-tests", Guid.NewGuid().ToString("N"));
        var temporary = new TemporaryDatabase(folder);
        if (migrate)
        {
            await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);
        }

        return temporary;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary folder is cleaned by the system anyway.
        }

        return ValueTask.CompletedTask;
    }
}
