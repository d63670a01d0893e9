using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Audit;
using Tessera.Keys;
using Tessera.OAuth;
using Tessera.Passkeys;
using Tessera.Replay;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.PostgreSql;

/// <summary>Registers Tessera's stores on a PostgreSQL database that several instances can share.</summary>
public static class TesseraPostgresServiceCollectionExtensions
{
    /// <summary>Keeps users, sessions, signing keys and the Data Protection key ring in the database <paramref name="connectionString"/> names.</summary>
    public static IServiceCollection AddTesseraPostgres(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddTesseraPostgres(options => options.Database.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps users, sessions, signing keys and the OAuth provider's clients, codes and consents in
    /// PostgreSQL: registers <see cref="PostgresDatabase"/> (one connection pool), <see cref="IUserStore"/>,
    /// <see cref="ISessionStore"/>, <see cref="ISigningKeyStore"/>, <see cref="IClientStore"/>,
    /// <see cref="IAuthorizationCodeStore"/>, <see cref="IConsentStore"/>, <see cref="IPasskeyStore"/>, the <see cref="IReplayStore"/> (<c>replay_marks</c>), the <see cref="IAuditLog"/>
    /// (its <c>audit_events</c> table), the <c>postgres</c> <see cref="IStoreHealthProbe"/>, an
    /// <see cref="IStoreMigrator"/> for Tessera's schema plus
    /// <see cref="TesseraPostgresOptions.AdditionalMigrations"/> (Tessera.AspNetCore runs it before the
    /// host takes requests) and, unless <see cref="TesseraPostgresOptions.KeepDataProtectionKeys"/> is
    /// off, Data Protection with its key ring in the database (<see cref="PostgresXmlRepository"/>).
    /// The options are read when the database is first needed, so
    /// <c>services.Configure&lt;TesseraPostgresOptions&gt;</c> calls made later count too. A later
    /// registration of a store service (sessions in Redis, a test double) wins.
    /// </summary>
    public static IServiceCollection AddTesseraPostgres(this IServiceCollection services, Action<TesseraPostgresOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TesseraPostgresOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Database.ConnectionString), "AddTesseraPostgres needs a connection string (Tessera:Postgres:ConnectionString in the server's configuration).")
            .Validate(o => o.Database.ConnectTimeout > TimeSpan.Zero && o.Database.CommandTimeout > TimeSpan.Zero, "The PostgreSQL ConnectTimeout and CommandTimeout (Tessera:Postgres:…) must be positive.")
            .Validate(o => o.ChangeFeed.Problem() is null, "Tessera:Postgres:ChangeFeed: Staleness must be positive and Heartbeat at least 100 ms, both at most 5 minutes.")
            .Validate(o => o.NearCache.Problem(o.ChangeFeed) is null, "Tessera:Postgres:NearCache needs Tessera:Postgres:ChangeFeed:Enabled, a positive EntryLifetime and MaxEntries of at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => new PostgresDatabase(Options(sp).Database, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUserStore>(sp => new PostgresUserStore(Database(sp)));
        services.AddSingleton<ISessionStore>(SessionStore);
        // Built only when asked for (by the near cache, or as ISessionChangeFeed after AddTesseraPostgresChangeFeed).
        services.TryAddSingleton(sp => new PostgresSessionChangeFeed(Database(sp), Options(sp).Database, Options(sp).ChangeFeed,
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PostgresSessionChangeFeed>>()));
        services.AddSingleton<ISigningKeyStore>(sp => new PostgresSigningKeyStore(Database(sp)));
        services.AddSingleton<IClientStore>(sp => new PostgresClientStore(Database(sp)));
        services.AddSingleton<IAuthorizationCodeStore>(sp => new PostgresAuthorizationCodeStore(Database(sp)));
        services.AddSingleton<IConsentStore>(sp => new PostgresConsentStore(Database(sp)));
        services.AddSingleton<IAuditLog>(sp => new PostgresAuditLog(Database(sp)));
        services.AddSingleton<IPasskeyStore>(sp => new PostgresPasskeyStore(Database(sp)));
        // Single-use marks shared by every instance (RFC 9449 §11.1, RFC 7523 §3): replaces the in-memory default.
        services.AddSingleton<IReplayStore>(sp => new PostgresReplayStore(Database(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStoreHealthProbe>(sp => new PostgresHealthProbe(Database(sp)));
        services.AddSingleton<IStoreMigrator>(sp => new PostgresStoreMigrator(Database(sp), Options(sp).AdditionalMigrations));

        // The key ring protects the signing keys at rest: kept beside them, every instance that shares
        // the database can unprotect what the others stored. Configured after whatever repository the
        // app set earlier (a data folder), so this one wins.
        services.AddDataProtection();
        services.TryAddSingleton(sp => new PostgresXmlRepository(Database(sp)));
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, sp) =>
        {
            if (Options(sp).KeepDataProtectionKeys)
            {
                keys.XmlRepository = sp.GetRequiredService<PostgresXmlRepository>();
            }
        });
        return services;
    }

    /// <summary>
    /// Turns on the PostgreSQL session change feed (issue #13), after <c>AddTesseraPostgres</c>: the
    /// session store announces every change inside the statement that makes it, and
    /// <see cref="ISessionChangeFeed"/> is a <see cref="PostgresSessionChangeFeed"/> (one listening
    /// connection per instance, opened when the first consumer subscribes), for pushed revocation
    /// lists and near caches. Every instance sharing the database must turn it on: one that writes
    /// without announcing is not heard. The server calls this when <c>Tessera:Postgres:ChangeFeed:Enabled</c> is true.
    /// </summary>
    public static IServiceCollection AddTesseraPostgresChangeFeed(this IServiceCollection services, Action<PostgresChangeFeedOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TesseraPostgresOptions>().Configure(options =>
        {
            options.ChangeFeed.Enabled = true;
            configure?.Invoke(options.ChangeFeed);
        });
        services.AddSingleton<ISessionChangeFeed>(sp => sp.GetRequiredService<PostgresSessionChangeFeed>());
        return services;
    }

    /// <summary>
    /// The session store: announcing its changes when the change feed is on, behind a near cache
    /// (<see cref="NearCachedSessionStore"/>, invalidated by the feed) when <c>Tessera:Postgres:NearCache:Enabled</c>.
    /// </summary>
    private static ISessionStore SessionStore(IServiceProvider services)
    {
        TesseraPostgresOptions options = Options(services);
        var store = new PostgresSessionStore(Database(services), options.ChangeFeed.Enabled);
        return options.ChangeFeed.Enabled && options.NearCache.Enabled
            ? NearCachedSessionStore.Create(store, services.GetRequiredService<PostgresSessionChangeFeed>(), options.NearCache.ToSessionNearCacheOptions(), services.GetRequiredService<TimeProvider>())
            : store;
    }

    private static TesseraPostgresOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<TesseraPostgresOptions>>().Value;

    private static PostgresDatabase Database(IServiceProvider services) => services.GetRequiredService<PostgresDatabase>();
}
