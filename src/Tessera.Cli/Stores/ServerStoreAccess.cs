using Tessera.OAuth;
using Tessera.PostgreSql;
using Tessera.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Cli.Stores;

/// <summary>
/// A Tessera server's client registry and user store, opened with the very store classes the
/// server runs: its data folder's SQLite file, or its PostgreSQL database. The CLI never migrates:
/// a database the current server has not started on yet is refused with the remedy.
/// </summary>
internal sealed class ServerStoreAccess : IAsyncDisposable
{
    // TesseraPostgresSchema's version 2 added the OAuth provider's tables and user roles (SQLite's 3).
    private const int PostgresOAuthProviderVersion = 2;

    private readonly IAsyncDisposable? _database;

    private ServerStoreAccess(IClientStore clients, IUserStore users, IAsyncDisposable? database)
    {
        Clients = clients;
        Users = users;
        _database = database;
    }

    public IClientStore Clients { get; }

    public IUserStore Users { get; }

    /// <summary>The stores of the server whose data folder is <paramref name="folder"/> (SQLite, the default store).</summary>
    public static async Task<ServerStoreAccess> OpenFolderAsync(string folder, CancellationToken cancellationToken)
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
        string what = $"the database in {folder}";
        RequireProvider(await SchemaAsync(() => database.SchemaVersionAsync(TesseraSqliteSchema.Module, cancellationToken), what) >= TesseraSqliteSchema.OAuthProviderVersion, what);
        return new ServerStoreAccess(new SqliteClientStore(database), new SqliteUserStore(database), null);
    }

    /// <summary>The stores of a server with <c>Tessera:Store=postgres</c>, from its connection string.</summary>
    public static async Task<ServerStoreAccess> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
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
            string what = $"the PostgreSQL database '{database.DatabaseName}'";
            RequireProvider(await SchemaAsync(() => database.SchemaVersionAsync(TesseraPostgresSchema.Module, cancellationToken), what) >= PostgresOAuthProviderVersion, what);
            return new ServerStoreAccess(new PostgresClientStore(database), new PostgresUserStore(database), database);
        }
        catch
        {
            await database.DisposeAsync(); // the pool's connections are closed on every failure path
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static async Task<int> SchemaAsync(Func<ValueTask<int>> read, string what)
    {
        try
        {
            return await read();
        }
        catch (StoreUnavailableException ex)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"{what} cannot be read: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    private static void RequireProvider(bool hasProviderTables, string what)
    {
        if (!hasProviderTables)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"{what} predates the OAuth provider (or holds no Tessera schema): start the current server on it once");
        }
    }
}
