using Tessera.InMemory;
using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryAuthorizationCodeStoreConformanceTests : AuthorizationCodeStoreConformanceTests
{
    protected override ValueTask<IAuthorizationCodeStore> CreateStoreAsync() => ValueTask.FromResult<IAuthorizationCodeStore>(new InMemoryAuthorizationCodeStore());
}
