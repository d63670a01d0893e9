using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteConsentStoreConformanceTests : ConsentStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IConsentStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteConsentStore(_database.Database);
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
