using Tessera.OAuth;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresConsentStoreConformanceTests(PostgresServer server) : ConsentStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IConsentStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresConsentStore(_database.Database);
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
