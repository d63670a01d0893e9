using Microsoft.Extensions.DependencyInjection;
using Tessera.PostgreSql;
using Tessera.Testing.Servers;

namespace Tessera.Modes.Tests.Stores;

/// <summary>PostgreSQL through its public registration: a new database per host on the collection's cluster, migrated at start.</summary>
public sealed class PostgresStoreSet(PostgresServer cluster) : StoreSet
{
    public override string Name => "postgres";

    public override async Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        services.AddTesseraPostgres(await cluster.CreateDatabaseAsync());
        return null; // the host's container disposes the connection pool
    }
}
