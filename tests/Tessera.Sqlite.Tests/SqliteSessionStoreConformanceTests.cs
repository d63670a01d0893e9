using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteSessionStore(_database.Database);
    }

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISessionStore>(new SqliteSessionStore(new SqliteDatabase(_database!.Database.Path)));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
