using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

/// <summary>A fresh database on a test cluster, migrated unless asked otherwise, dropped afterwards.</summary>
internal sealed class TemporaryDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly List<PostgresDatabase> _opened = [];

    private TemporaryDatabase(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
        Database = Open();
    }

    public string ConnectionString { get; }

    public PostgresDatabase Database { get; }

    public static async Task<TemporaryDatabase> CreateAsync(PostgresServer server, bool migrate = true)
    {
        var temporary = new TemporaryDatabase(server, await server.CreateDatabaseAsync());
        if (migrate)
        {
            await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, CancellationToken.None);
        }

        return temporary;
    }

    /// <summary>Another, independent handle on the same database: its own pool, as a second server instance has.</summary>
    public PostgresDatabase Open(TimeSpan? connectTimeout = null)
    {
        var database = new PostgresDatabase(new PostgresStoreOptions
        {
            ConnectionString = ConnectionString,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(3),
        });
        _opened.Add(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PostgresDatabase database in _opened)
        {
            await database.DisposeAsync();
        }

        await _server.DropDatabaseAsync(ConnectionString);
    }
}
