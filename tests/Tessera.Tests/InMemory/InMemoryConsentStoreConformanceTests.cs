using Tessera.InMemory;
using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryConsentStoreConformanceTests : ConsentStoreConformanceTests
{
    protected override ValueTask<IConsentStore> CreateStoreAsync() => ValueTask.FromResult<IConsentStore>(new InMemoryConsentStore());
}
