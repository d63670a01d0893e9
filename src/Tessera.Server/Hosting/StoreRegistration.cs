using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Tessera.Keys;
using Tessera.PostgreSql;
using Tessera.Server.DataProtection;
using Tessera.Server.Shop;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Hosting;

/// <summary>
/// Registers the stores of the backend <c>Tessera:Store</c> names, one case per kind. Store kinds
/// that override only part of this (a session store elsewhere) register after it: the last
/// registration of a service wins.
/// </summary>
internal static class StoreRegistration
{
    public const string PostgresSection = "Tessera:Postgres";

    public static IServiceCollection AddTesseraStores(this IServiceCollection services, IConfiguration configuration)
    {
        string? kind = configuration[$"{TesseraServerOptions.Section}:{nameof(TesseraServerOptions.Store)}"];
        services.AddOptions<TesseraServerOptions>()
            .Validate(o => StoreKinds.IsKnown(o.Store), $"Tessera:Store must be '{StoreKinds.Sqlite}' (the default) or '{StoreKinds.Postgres}'.");
        services.AddOptions<PostgresStoreOptions>().Bind(configuration.GetSection(PostgresSection))
            .Validate<IOptions<TesseraServerOptions>>((postgres, server) => !StoreKinds.Is(server.Value.Store, StoreKinds.Postgres) || !string.IsNullOrWhiteSpace(postgres.ConnectionString),
                "Tessera:Postgres:ConnectionString is required when Tessera:Store is 'postgres'.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.CommandTimeout > TimeSpan.Zero, "Tessera:Postgres:ConnectTimeout and Tessera:Postgres:CommandTimeout must be positive.")
            .ValidateOnStart();

        if (StoreKinds.Is(kind, StoreKinds.Postgres))
        {
            AddPostgres(services);
        }
        else
        {
            // SQLite, and also an unknown kind: validation refuses to start with it before any store is used.
            AddSqlite(services);
        }

        return services;
    }

    private static void AddSqlite(IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<TesseraServerOptions>>().Value.DatabasePath, time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStoreMigrator>(sp => new SqliteStoreMigrator(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IUserStore>(sp => new SqliteUserStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<ISessionStore>(sp => new SqliteSessionStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<ISigningKeyStore>(sp => new SqliteSigningKeyStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IStoreHealthProbe>(sp => new SqliteHealthProbe(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IShopStore>(sp => new SqliteShopStore(sp.GetRequiredService<SqliteDatabase>()));
    }

    private static void AddPostgres(IServiceCollection services)
    {
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStoreMigrator>(sp => new PostgresStoreMigrator(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IUserStore>(sp => new PostgresUserStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<ISessionStore>(sp => new PostgresSessionStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<ISigningKeyStore>(sp => new PostgresSigningKeyStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IStoreHealthProbe>(sp => new PostgresHealthProbe(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IShopStore>(sp => new PostgresShopStore(sp.GetRequiredService<PostgresDatabase>()));

        // The data-protection keys (they protect the signing keys at rest) go where the signing
        // keys are, so every instance sharing the database can read them. Registered after the
        // data-folder repository, so this one wins.
        services.AddOptions<KeyManagementOptions>().Configure<PostgresDatabase>((keys, database) => keys.XmlRepository = new PostgresXmlRepository(database));
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
