using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Tessera.Keys;
using Tessera.PostgreSql;
using Tessera.Server.Shop;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Hosting;

/// <summary>
/// Registers the stores of the backend <c>Tessera:Store</c> names. The choice is made when a
/// store is first resolved, from the bound options (test hosts add configuration after the
/// composition runs), in one switch per service. A kind that overrides part of this (sessions
/// elsewhere) registers after it: the last registration of a service wins.
/// </summary>
internal static class StoreRegistration
{
    public const string PostgresSection = "Tessera:Postgres";

    public static IServiceCollection AddTesseraStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TesseraServerOptions>()
            .Validate(o => StoreKinds.IsKnown(o.Store), $"Tessera:Store must be '{StoreKinds.Sqlite}' (the default) or '{StoreKinds.Postgres}'.");
        services.AddOptions<PostgresStoreOptions>().Bind(configuration.GetSection(PostgresSection))
            .Validate<IOptions<TesseraServerOptions>>((postgres, server) => !StoreKinds.Is(server.Value.Store, StoreKinds.Postgres) || !string.IsNullOrWhiteSpace(postgres.ConnectionString),
                "Tessera:Postgres:ConnectionString is required when Tessera:Store is 'postgres'.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.CommandTimeout > TimeSpan.Zero, "Tessera:Postgres:ConnectTimeout and Tessera:Postgres:CommandTimeout must be positive.")
            .ValidateOnStart();

        // Built only when the configured kind asks for them.
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<TesseraServerOptions>>().Value.DatabasePath, time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton(sp => Pick<IStoreMigrator>(sp, db => new SqliteStoreMigrator(db), db => new PostgresStoreMigrator(db)));
        services.AddSingleton(sp => Pick<IUserStore>(sp, db => new SqliteUserStore(db), db => new PostgresUserStore(db)));
        services.AddSingleton(sp => Pick<ISessionStore>(sp, db => new SqliteSessionStore(db), db => new PostgresSessionStore(db)));
        services.AddSingleton(sp => Pick<ISigningKeyStore>(sp, db => new SqliteSigningKeyStore(db), db => new PostgresSigningKeyStore(db)));
        services.AddSingleton(sp => Pick<IStoreHealthProbe>(sp, db => new SqliteHealthProbe(db), db => new PostgresHealthProbe(db)));
        services.AddSingleton(sp => Pick<IShopStore>(sp, db => new SqliteShopStore(db), db => new PostgresShopStore(db)));

        // With PostgreSQL the data-protection keys (they protect the signing keys at rest) go where
        // the signing keys are, so every instance sharing the database can read them. Runs after
        // the data-folder repository is configured, so this one wins.
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<TesseraServerOptions>, IServiceProvider>((keys, server, sp) =>
        {
            if (StoreKinds.Is(server.Value.Store, StoreKinds.Postgres))
            {
                keys.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<PostgresDatabase>());
            }
        });

        return services;
    }

    /// <summary>The configured kind's implementation of a store service.</summary>
    private static T Pick<T>(IServiceProvider services, Func<SqliteDatabase, T> sqlite, Func<PostgresDatabase, T> postgres)
    {
        string store = services.GetRequiredService<IOptions<TesseraServerOptions>>().Value.Store;
        return StoreKinds.Is(store, StoreKinds.Postgres)
            ? postgres(services.GetRequiredService<PostgresDatabase>())
            : sqlite(services.GetRequiredService<SqliteDatabase>());
    }

    private sealed class SqliteStoreMigrator(SqliteDatabase database) : IStoreMigrator
    {
        public string Target => $"the database {database.Path}";

        public ValueTask MigrateAsync(CancellationToken cancellationToken) =>
            database.MigrateAsync([.. TesseraSqliteSchema.Migrations, .. ShopSchema.Migrations], cancellationToken);
    }

    private sealed class PostgresStoreMigrator(PostgresDatabase database) : IStoreMigrator
    {
        public string Target => $"the PostgreSQL database '{database.DatabaseName}'";

        public ValueTask MigrateAsync(CancellationToken cancellationToken) =>
            database.MigrateAsync([.. TesseraPostgresSchema.Migrations, .. PostgresShopSchema.Migrations, .. PostgresXmlRepository.Migrations], cancellationToken);
    }
}
