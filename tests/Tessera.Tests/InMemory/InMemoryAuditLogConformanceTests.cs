using Tessera.Audit;
using Tessera.InMemory;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryAuditLogConformanceTests : AuditLogConformanceTests
{
    protected override ValueTask<IAuditLog> CreateLogAsync() => ValueTask.FromResult<IAuditLog>(new InMemoryAuditLog());
}
