using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteAuthorizationCodeStoreConformanceTests : AuthorizationCodeStoreConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IAuthorizationCodeStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteAuthorizationCodeStore(_database.Database);
    }

    protected override ValueTask<IAuthorizationCodeStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<IAuthorizationCodeStore>(new SqliteAuthorizationCodeStore(new SqliteDatabase(_database!.Database.Path)));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
