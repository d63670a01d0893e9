using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresUserDirectoryConformanceTests(PostgresServer server) : UserDirectoryConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IUserStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresUserStore(_database.Database);
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
