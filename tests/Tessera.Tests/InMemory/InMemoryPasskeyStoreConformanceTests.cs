using Tessera.InMemory;
using Tessera.Passkeys;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryPasskeyStoreConformanceTests : PasskeyStoreConformanceTests
{
    protected override ValueTask<IPasskeyStore> CreateStoreAsync() => ValueTask.FromResult<IPasskeyStore>(new InMemoryPasskeyStore());
}
