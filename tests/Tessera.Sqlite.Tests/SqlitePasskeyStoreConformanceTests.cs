using Tessera.Passkeys;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqlitePasskeyStoreConformanceTests : PasskeyStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IPasskeyStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqlitePasskeyStore(_database.Database);
    }

    protected override ValueTask<IPasskeyStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<IPasskeyStore>(new SqlitePasskeyStore(new SqliteDatabase(_database!.Database.Path)));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
