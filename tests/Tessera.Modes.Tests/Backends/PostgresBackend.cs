using Tessera.Modes.Tests.Stores;
using Tessera.Modes.Tests.Suites;
using Tessera.Testing.Servers;

namespace Tessera.Modes.Tests.Backends;

/// <summary>PostgreSQL: one throwaway cluster for the collection, a database per host.</summary>
public sealed class PostgresHosts : HostPool
{
    private readonly PostgresServer _cluster = new();

    public PostgresHosts() => Stores = new PostgresStoreSet(_cluster);

    public override StoreSet Stores { get; }

    public override async Task InitializeAsync() => await ((IAsyncLifetime)_cluster).InitializeAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresHosts>
{
    public const string Name = "postgres stores";
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionLifecycleTests(PostgresHosts hosts) : SessionLifecycleSuite(hosts);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSignInTests(PostgresHosts hosts) : SignInSuite(hosts);
