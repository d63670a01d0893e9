using Microsoft.Extensions.DependencyInjection;
using Tessera.Keys;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.Modes.Tests.Stores;

/// <summary>
/// PostgreSQL: a new database per host on the collection's cluster, migrated, and the stores over
/// it. Wired by hand until <c>Tessera.PostgreSql</c> has its public <c>AddTesseraPostgres(...)</c>;
/// then this class becomes that one call.
/// </summary>
public sealed class PostgresStoreSet(PostgresServer cluster) : StoreSet
{
    public override string Name => "postgres";

    public override async Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = await cluster.CreateDatabaseAsync() }, time);
        await database.MigrateAsync(TesseraPostgresSchema.Migrations, CancellationToken.None);
        services.AddSingleton(database);
        services.AddSingleton<IUserStore>(new PostgresUserStore(database));
        services.AddSingleton<ISessionStore>(new PostgresSessionStore(database));
        services.AddSingleton<ISigningKeyStore>(new PostgresSigningKeyStore(database));
        return database;
    }
}
