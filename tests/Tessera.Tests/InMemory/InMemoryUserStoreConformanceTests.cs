using Tessera.InMemory;
using Tessera.Stores.Conformance;
using Tessera.Users;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryUserStoreConformanceTests : UserStoreConformanceTests
{
    protected override ValueTask<IUserStore> CreateStoreAsync() => ValueTask.FromResult<IUserStore>(new InMemoryUserStore());
}
