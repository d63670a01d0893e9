using Tessera.InMemory;
using Tessera.Stores.Conformance;
using Tessera.Users;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryUserDirectoryConformanceTests : UserDirectoryConformanceTests
{
    protected override ValueTask<IUserStore> CreateStoreAsync() => ValueTask.FromResult<IUserStore>(new InMemoryUserStore());
}
