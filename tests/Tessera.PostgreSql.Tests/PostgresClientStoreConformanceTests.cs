using Tessera.OAuth;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresClientStoreConformanceTests(PostgresServer server) : ClientStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<(IClientStore Clients, IConsentStore Consents)> CreateStoresAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return (new PostgresClientStore(_database.Database), new PostgresConsentStore(_database.Database));
    }

    protected override ValueTask DisposeStoresAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
