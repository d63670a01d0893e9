using Tessera.Sessions;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresSessionStoreConformanceTests(PostgresServer server) : SessionStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresSessionStore(_database.Database);
    }

    protected override ValueTask<ISessionStore> OpenSecondInstanceAsync() => ValueTask.FromResult<ISessionStore>(new PostgresSessionStore(_database!.Open()));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
