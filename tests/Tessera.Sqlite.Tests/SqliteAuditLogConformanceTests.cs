using Tessera.Audit;
using Tessera.Stores.Conformance;

namespace Tessera.Sqlite.Tests;

public sealed class SqliteAuditLogConformanceTests : AuditLogConformanceTests
{
    private TemporaryDatabase? _database;

    protected override async ValueTask<IAuditLog> CreateLogAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        return new SqliteAuditLog(_database.Database);
    }

    protected override ValueTask DisposeLogAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
