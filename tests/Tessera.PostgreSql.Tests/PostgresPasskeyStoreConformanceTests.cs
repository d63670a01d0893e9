using Tessera.Passkeys;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresPasskeyStoreConformanceTests(PostgresServer server) : PasskeyStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IPasskeyStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresPasskeyStore(_database.Database);
    }

    protected override ValueTask<IPasskeyStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<IPasskeyStore>(new PostgresPasskeyStore(_database!.Open()));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
