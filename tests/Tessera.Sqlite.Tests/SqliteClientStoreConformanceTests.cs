using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteClientStoreConformanceTests : ClientStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<(IClientStore Clients, IConsentStore Consents)> CreateStoresAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return (new SqliteClientStore(_database.Database), new SqliteConsentStore(_database.Database));
    }

    protected override ValueTask DisposeStoresAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
