namespace Tessera.Server.Hosting;

/// <summary>Brings the configured store's schema up to date; <see cref="DatabaseMigrationService"/> runs it before the server takes requests.</summary>
internal interface IStoreMigrator
{
    /// <summary>What is migrated, for the start-up error message (never a connection string: it may hold a password).</summary>
    string Target { get; }

    ValueTask MigrateAsync(CancellationToken cancellationToken);
}
