using Tessera.InMemory;
using Tessera.Keys;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemorySigningKeyStoreConformanceTests : SigningKeyStoreConformanceTests
{
    protected override ValueTask<ISigningKeyStore> CreateStoreAsync() => ValueTask.FromResult<ISigningKeyStore>(new InMemorySigningKeyStore());
}
