using Tessera.PostgreSql;
using Tessera.Sqlite;
using Tessera.Stores;

namespace Tessera.Cli.Stores;

/// <summary>
/// Opens a server's database for the CLI the way every command needs it: the data folder's SQLite
/// file or a PostgreSQL connection, refused with the remedy when it is missing, unreadable or older
/// than the schema version the command needs (the CLI never migrates; the server does at start).
/// </summary>
internal static class ServerDatabases
{
    /// <summary>The SQLite database in the data folder <paramref name="folder"/>, at schema <paramref name="minimumVersion"/> or later.</summary>
    public static async Task<SqliteDatabase> OpenFolderAsync(string folder, int minimumVersion, string feature, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new CliException(CliErrorCodes.InputUnreadable, "--data names no folder: give the server's data folder");
        }

        var layout = new TesseraDataFolder(folder);
        if (!File.Exists(layout.DatabasePath))
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"no Tessera database in {folder}: start the server once with --data {folder}");
        }

        var database = new SqliteDatabase(layout.DatabasePath);
        await RequireSchemaAsync(() => database.SchemaVersionAsync(TesseraSqliteSchema.Module, cancellationToken), minimumVersion, feature, $"the database in {folder}");
        return database;
    }

    /// <summary>The PostgreSQL database of <paramref name="connectionString"/>, at schema <paramref name="minimumVersion"/> or later; its pool is closed on every failure.</summary>
    public static async Task<PostgresDatabase> OpenPostgresAsync(string connectionString, int minimumVersion, string feature, CancellationToken cancellationToken)
    {
        PostgresDatabase database;
        try
        {
            database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString });
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage($"--postgres: {ex.Message}");
        }

        try
        {
            await RequireSchemaAsync(() => database.SchemaVersionAsync(TesseraPostgresSchema.Module, cancellationToken), minimumVersion, feature, $"the PostgreSQL database '{database.DatabaseName}'");
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task RequireSchemaAsync(Func<ValueTask<int>> read, int minimumVersion, string feature, string what)
    {
        int version;
        try
        {
            version = await read();
        }
        catch (StoreUnavailableException ex)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"{what} cannot be read: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (version < minimumVersion)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"{what} predates {feature} (or holds no Tessera schema): start the current server on it once");
        }
    }
}
