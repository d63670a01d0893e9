using Tessera.InMemory;
using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemorySessionStoreConformanceTests : SessionStoreConformanceTests
{
    protected override ValueTask<ISessionStore> CreateStoreAsync() => ValueTask.FromResult<ISessionStore>(new InMemorySessionStore());

    protected override ValueTask<long> StoredEntriesAsync() => ValueTask.FromResult((long)((InMemorySessionStore)Store).EntryCount);
}
