using Tessera.OAuth;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresAuthorizationCodeStoreConformanceTests(PostgresServer server) : AuthorizationCodeStoreConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IAuthorizationCodeStore> CreateStoreAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresAuthorizationCodeStore(_database.Database);
    }

    protected override ValueTask<IAuthorizationCodeStore> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<IAuthorizationCodeStore>(new PostgresAuthorizationCodeStore(_database!.Open()));

    protected override ValueTask DisposeStoreAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
