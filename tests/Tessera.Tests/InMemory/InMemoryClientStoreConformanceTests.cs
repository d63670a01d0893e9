using Tessera.InMemory;
using Tessera.OAuth;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryClientStoreConformanceTests : ClientStoreConformanceTests
{
    protected override ValueTask<(IClientStore Clients, IConsentStore Consents)> CreateStoresAsync()
    {
        var consents = new InMemoryConsentStore();
        return ValueTask.FromResult<(IClientStore, IConsentStore)>((new InMemoryClientStore(consents), consents));
    }
}
