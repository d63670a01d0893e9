using Tessera.Stores.Conformance;
using Tessera.Users;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteUserDirectoryConformanceTests : UserDirectoryConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IUserStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteUserStore(_database.Database);
    }

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
