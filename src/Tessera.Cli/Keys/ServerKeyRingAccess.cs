using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Keys;
using Tessera.PostgreSql;
using Tessera.Sqlite;
using Tessera.Stores;

namespace Tessera.Cli.Keys;

/// <summary>
/// A Tessera server's key ring, opened with the very store, repository and protector classes the
/// server runs: its data folder (the SQLite file and the Data Protection keys in <c>DIR/keys</c>),
/// or its PostgreSQL database (signing keys and Data Protection keys both in it).
/// </summary>
internal sealed class ServerKeyRingAccess : IAsyncDisposable
{
    private readonly ServiceProvider _dataProtection;
    private readonly IAsyncDisposable? _database;

    private ServerKeyRingAccess(ISigningKeyStore store, IXmlRepository keyRepository, IAsyncDisposable? database)
    {
        Store = store;
        _database = database;
        // The server's Data Protection set-up (application name, repository) around the same key repository.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(DataProtectionSecretProtector.ApplicationName);
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = keyRepository);
        _dataProtection = services.BuildServiceProvider();
        Protector = new DataProtectionSecretProtector(_dataProtection.GetRequiredService<IDataProtectionProvider>());
    }

    public ISigningKeyStore Store { get; }

    public ISecretProtector Protector { get; }

    /// <summary>The ring of the server whose data folder is <paramref name="folder"/> (SQLite, the default store).</summary>
    public static async Task<ServerKeyRingAccess> OpenFolderAsync(string folder, CancellationToken cancellationToken)
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
        int schema = await SchemaAsync(() => database.SchemaVersionAsync(TesseraSqliteSchema.Module, cancellationToken), $"the database in {folder}");
        RequireTokenMode(schema >= TesseraSqliteSchema.SigningKeysVersion, $"the database in {folder}");
        var repository = new FileSystemXmlRepository(new DirectoryInfo(layout.KeysPath), NullLoggerFactory.Instance);
        return new ServerKeyRingAccess(new SqliteSigningKeyStore(database), repository, null);
    }

    /// <summary>The ring of a server with <c>Tessera:Store=postgres</c>, from its connection string.</summary>
    public static async Task<ServerKeyRingAccess> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
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
            int schema = await SchemaAsync(() => database.SchemaVersionAsync(TesseraPostgresSchema.Module, cancellationToken), $"the PostgreSQL database '{database.DatabaseName}'");
            RequireTokenMode(schema >= 1, $"the PostgreSQL database '{database.DatabaseName}'");
            return new ServerKeyRingAccess(new PostgresSigningKeyStore(database), new PostgresXmlRepository(database), database);
        }
        catch
        {
            await database.DisposeAsync(); // the pool's connections are closed on every failure path
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataProtection.DisposeAsync();
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

    private static void RequireTokenMode(bool hasSigningKeys, string what)
    {
        if (!hasSigningKeys)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"{what} predates token mode (or holds no Tessera schema): start the current server on it once");
        }
    }
}
