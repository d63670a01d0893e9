namespace Tessera.Stores;

/// <summary>
/// Brings one store's schema up to date. Each backend's registration (<c>AddTesseraSqlite</c>,
/// <c>AddTesseraPostgres</c>) adds one; Tessera.AspNetCore runs every registered migrator before
/// the host takes requests. An app without that host calls <see cref="MigrateAsync"/> itself.
/// </summary>
public interface IStoreMigrator
{
    /// <summary>What is migrated, for the start-up error message (never a connection string: it may hold a password).</summary>
    string Target { get; }

    /// <summary>Creates the database if needed and applies the migrations it has not seen; safe to call again.</summary>
    ValueTask MigrateAsync(CancellationToken cancellationToken);
}
