using Tessera.Audit;
using Tessera.Stores.Conformance;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresAuditLogConformanceTests(PostgresServer server) : AuditLogConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IAuditLog> CreateLogAsync()
    {
        _database = await TemporaryDatabase.CreateAsync(server);
        return new PostgresAuditLog(_database.Database);
    }

    protected override ValueTask DisposeLogAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
