using Microsoft.Extensions.Options;
using Tessera.PostgreSql;
using Tessera.Redis;
using Tessera.Server.Shop;
using Tessera.Sqlite;

namespace Tessera.Server.Hosting;

/// <summary>
/// Puts the stores <c>Tessera:Store</c> (sqlite, the default, or postgres) and
/// <c>Tessera:SessionStore</c> (redis) name in the container, and Redis as the throttle store
/// (<c>Tessera:RateLimits:Store</c>, see <see cref="RateLimitStoreSettings"/>), through the backends' own public
/// calls: <see cref="TesseraSqliteServiceCollectionExtensions.AddTesseraSqlite(IServiceCollection, Action{TesseraSqliteOptions})"/>,
/// <see cref="TesseraPostgresServiceCollectionExtensions.AddTesseraPostgres(IServiceCollection, Action{TesseraPostgresOptions})"/>,
/// <see cref="TesseraRedisServiceCollectionExtensions.AddTesseraRedisSessions(IServiceCollection, Action{TesseraRedisOptions})"/>
/// and <see cref="TesseraRedisServiceCollectionExtensions.AddTesseraRedisThrottling(IServiceCollection, Action{TesseraRedisOptions})"/>,
/// with the shop's tables through their <c>AdditionalMigrations</c>.
/// </summary>
/// <remarks>
/// The choice is read when the container is built (by the provider factory), not while the server
/// registers its services: in-process test hosts add their configuration after the composition has
/// run, and it is all in place by then. The chosen registrations are put where the composition
/// stands (a placeholder marks the spot), so whatever a host registers after the composition (a
/// test double) still wins, as it would had they been registered directly. The settings of every
/// backend are still bound lazily, through options.
/// </remarks>
internal static class StoreRegistration
{
    public const string PostgresSection = "Tessera:Postgres";

    public const string RedisSection = "Tessera:Redis";

    /// <summary>#13: the PostgreSQL session change feed (<see cref="PostgresChangeFeedOptions"/>).</summary>
    public const string PostgresChangeFeedSection = "Tessera:Postgres:ChangeFeed";

    public static WebApplicationBuilder AddTesseraStores(this WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;
        ConfigurationManager configuration = builder.Configuration;

        // Every store setting is checked whatever the choice, so a typo fails the start even in a
        // setting the chosen backend does not read.
        services.AddOptions<TesseraServerOptions>()
            .Validate(o => StoreKinds.IsKnown(o.Store), $"Tessera:Store must be '{StoreKinds.Sqlite}' (the default) or '{StoreKinds.Postgres}'.");
        services.AddOptions<TesseraPostgresOptions>().Configure(o => configuration.GetSection(PostgresSection).Bind(o.Database))
            .Configure(o => configuration.GetSection(PostgresChangeFeedSection).Bind(o.ChangeFeed))
            .Validate(o => o.Database.ConnectTimeout > TimeSpan.Zero && o.Database.CommandTimeout > TimeSpan.Zero, "Tessera:Postgres:ConnectTimeout and Tessera:Postgres:CommandTimeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<SessionStoreSettings>().Bind(configuration.GetSection(TesseraServerOptions.Section))
            .Validate(settings => settings.Problem() is null, "Tessera:SessionStore must be unset (sessions in the main store) or 'redis'.")
            .ValidateOnStart();
        services.AddOptions<RateLimitStoreSettings>().Bind(configuration.GetSection(RateLimitStoreSettings.Section))
            .Validate(settings => settings.Problem() is null, "Tessera:RateLimits:Store must be unset (Redis when Tessera:SessionStore is redis, else memory), 'memory' or 'redis'.")
            .ValidateOnStart();

        var placeholder = ServiceDescriptor.Singleton(new ChosenStoresPlaceholder());
        services.Add(placeholder);
        // A provider factory's CreateBuilder is the one hook that runs after a test host's configuration
        // is in place (ConfigureContainer callbacks run earlier, inside WebApplicationBuilder.Build).
        // Same validation as the host's default factory: on in Development.
        bool development = builder.Environment.IsDevelopment();
        builder.Host.UseServiceProviderFactory(new ChosenStoresProviderFactory(
            services =>
            {
                services.ReplacePlaceholder(placeholder, chosen => chosen.AddChosenStores(configuration));
                // The key-encryption certificate is named by the configuration too (Tessera:KeyEncryption).
                services.AddKeyRingEncryption(configuration, builder.Environment);
                // Tessera:Telemetry: OTLP export and the Prometheus scrape endpoint, both off unless configured.
                services.AddTesseraServerTelemetry(configuration);
            },
            new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development }));
        return builder;
    }

    /// <summary>The backend calls for the configured kinds, configured from the server's settings.</summary>
    private static void AddChosenStores(this IServiceCollection services, ConfigurationManager configuration)
    {
        if (StoreKinds.Is(configuration[$"{TesseraServerOptions.Section}:Store"], StoreKinds.Postgres))
        {
            // The connection is bound above (Tessera:Postgres); the Data Protection keys go into the database.
            services.AddTesseraPostgres(options => Append(options.AdditionalMigrations, PostgresShopSchema.Migrations));
            services.AddSingleton<IShopStore>(sp => new PostgresShopStore(sp.GetRequiredService<PostgresDatabase>()));
            if (configuration.GetValue<bool>($"{PostgresChangeFeedSection}:Enabled"))
            {
                services.AddTesseraPostgresChangeFeed();
            }
        }
        else
        {
            services.AddTesseraSqlite(options => Append(options.AdditionalMigrations, ShopSchema.Migrations));
            services.AddOptions<TesseraSqliteOptions>().Configure<IOptions<TesseraServerOptions>>((options, server) => options.UseDataFolder(server.Value.DataFolder));
            services.AddSingleton<IShopStore>(sp => new SqliteShopStore(sp.GetRequiredService<SqliteDatabase>()));
        }

        bool sessionsInRedis = SessionStoreSettings.IsRedis(configuration[$"{TesseraServerOptions.Section}:SessionStore"]);
        if (sessionsInRedis)
        {
            // After the main store: the last session store registered wins. Ended sessions are kept
            // Tessera:SessionRetention, unless Tessera:Redis:Retention says otherwise.
            services.AddTesseraRedisSessions(_ => { });
            services.AddOptions<TesseraRedisOptions>()
                .Configure<IOptions<TesseraServerOptions>>((options, server) => options.Retention = server.Value.SessionRetention)
                .Bind(configuration.GetSection(RedisSection));
        }

        // Rate limits and failure counts, shared by the cluster: in Redis with the sessions unless
        // Tessera:RateLimits:Store says otherwise (same connection and key prefix).
        if (RateLimitStoreSettings.UsesRedis(configuration[$"{RateLimitStoreSettings.Section}:Store"], sessionsInRedis))
        {
            services.AddTesseraRedisThrottling(_ => { });
            if (!sessionsInRedis)
            {
                services.AddOptions<TesseraRedisOptions>().Bind(configuration.GetSection(RedisSection));
            }
        }
    }

    /// <summary>Runs <paramref name="register"/> and moves what it added to where <paramref name="placeholder"/> stands.</summary>
    private static void ReplacePlaceholder(this IServiceCollection services, ServiceDescriptor placeholder, Action<IServiceCollection> register)
    {
        int end = services.Count;
        register(services);
        ServiceDescriptor[] added = [.. services.Skip(end)];
        for (int i = services.Count - 1; i >= end; i--)
        {
            services.RemoveAt(i);
        }

        int at = services.IndexOf(placeholder);
        if (at < 0)
        {
            throw new InvalidOperationException("The stores' placeholder was removed from the service collection before the container was built.");
        }

        services.RemoveAt(at);
        for (int i = 0; i < added.Length; i++)
        {
            services.Insert(at + i, added[i]);
        }
    }

    private static void Append<T>(ICollection<T> to, IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            to.Add(item);
        }
    }

    /// <summary>The default container, built after <paramref name="complete"/> has added the chosen stores.</summary>
    private sealed class ChosenStoresProviderFactory(Action<IServiceCollection> complete, ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            complete(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider(options);
    }

    /// <summary>Marks where the chosen stores' registrations go.</summary>
    private sealed class ChosenStoresPlaceholder;
}
