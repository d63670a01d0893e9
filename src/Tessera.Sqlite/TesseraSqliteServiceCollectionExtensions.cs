using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Audit;
using Tessera.Keys;
using Tessera.OAuth;
using Tessera.Passkeys;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Sqlite;

/// <summary>Registers Tessera's stores on one SQLite file.</summary>
public static class TesseraSqliteServiceCollectionExtensions
{
    /// <summary>Keeps users, sessions and signing keys in the SQLite file at <paramref name="databasePath"/>.</summary>
    public static IServiceCollection AddTesseraSqlite(this IServiceCollection services, string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return services.AddTesseraSqlite(options => options.DatabasePath = databasePath);
    }

    /// <summary>Keeps users, sessions and signing keys in <paramref name="folder"/>'s <c>tessera.db</c>.</summary>
    public static IServiceCollection AddTesseraSqlite(this IServiceCollection services, TesseraDataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return services.AddTesseraSqlite(options => options.UseDataFolder(folder));
    }

    /// <summary>
    /// Keeps users, sessions, signing keys and the OAuth provider's clients, codes and consents in one
    /// SQLite file: registers <see cref="SqliteDatabase"/>, <see cref="IUserStore"/>, <see cref="ISessionStore"/>,
    /// <see cref="ISigningKeyStore"/>, <see cref="IClientStore"/>, <see cref="IAuthorizationCodeStore"/>,
    /// <see cref="IConsentStore"/>, <see cref="IPasskeyStore"/>, the <see cref="IAuditLog"/> (its <c>audit_events</c> table), the
    /// <c>sqlite</c> <see cref="IStoreHealthProbe"/> and an <see cref="IStoreMigrator"/> for Tessera's
    /// schema plus <see cref="TesseraSqliteOptions.AdditionalMigrations"/> (Tessera.AspNetCore runs it
    /// before the host takes requests). The options are read when the database is first needed, so
    /// <c>services.Configure&lt;TesseraSqliteOptions&gt;</c> calls made later count too. A later
    /// registration of a store service (a session store elsewhere, a test double) wins.
    /// </summary>
    public static IServiceCollection AddTesseraSqlite(this IServiceCollection services, Action<TesseraSqliteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TesseraSqliteOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "AddTesseraSqlite needs TesseraSqliteOptions.DatabasePath, the database file (or UseDataFolder).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => new SqliteDatabase(Options(sp).DatabasePath!, time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUserStore>(sp => new SqliteUserStore(Database(sp)));
        services.AddSingleton<ISessionStore>(sp => new SqliteSessionStore(Database(sp)));
        services.AddSingleton<ISigningKeyStore>(sp => new SqliteSigningKeyStore(Database(sp)));
        services.AddSingleton<IClientStore>(sp => new SqliteClientStore(Database(sp)));
        services.AddSingleton<IAuthorizationCodeStore>(sp => new SqliteAuthorizationCodeStore(Database(sp)));
        services.AddSingleton<IConsentStore>(sp => new SqliteConsentStore(Database(sp)));
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(Database(sp)));
        services.AddSingleton<IPasskeyStore>(sp => new SqlitePasskeyStore(Database(sp)));
        services.AddSingleton<IStoreHealthProbe>(sp => new SqliteHealthProbe(Database(sp)));
        services.AddSingleton<IStoreMigrator>(sp => new SqliteStoreMigrator(Database(sp), Options(sp).AdditionalMigrations));
        return services;
    }

    private static TesseraSqliteOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<TesseraSqliteOptions>>().Value;

    private static SqliteDatabase Database(IServiceProvider services) => services.GetRequiredService<SqliteDatabase>();
}
