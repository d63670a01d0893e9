using Tessera.Modes.Tests.Stores;
using Tessera.Modes.Tests.Suites;

namespace Tessera.Modes.Tests.Backends;

/// <summary>The in-memory stores: no server, no files.</summary>
public sealed class InMemoryHosts : HostPool
{
    public override StoreSet Stores { get; } = new InMemoryStoreSet();
}

[CollectionDefinition(Name)]
public sealed class InMemoryCollection : ICollectionFixture<InMemoryHosts>
{
    public const string Name = "in-memory stores";
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemorySessionLifecycleTests(InMemoryHosts hosts) : SessionLifecycleSuite(hosts);

[Collection(InMemoryCollection.Name)]
public sealed class InMemorySignInTests(InMemoryHosts hosts) : SignInSuite(hosts);
