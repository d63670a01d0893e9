using Tessera.Keys;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteSigningKeyStoreConformanceTests : SigningKeyStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISigningKeyStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteSigningKeyStore(_database.Database);
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
