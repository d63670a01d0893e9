namespace Tessera.PostgreSql;

/// <summary>What <see cref="TesseraPostgresServiceCollectionExtensions.AddTesseraPostgres(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{TesseraPostgresOptions})"/> sets up.</summary>
public sealed class TesseraPostgresOptions
{
    /// <summary>How to reach the database (the server binds <c>Tessera:Postgres</c> to it).</summary>
    public PostgresStoreOptions Database { get; } = new();

    /// <summary>The session change feed (<c>Tessera:Postgres:ChangeFeed</c>): off unless enabled (issue #13).</summary>
    public PostgresChangeFeedOptions ChangeFeed { get; } = new();

    /// <summary>
    /// Keep the Data Protection key ring (which protects the signing keys at rest) in the database
    /// too, so every instance sharing the database can read the keys the others stored. On by
    /// default; turn it off only when the app keeps its key ring somewhere shared already. Instances
    /// must also share the Data Protection application name (<c>SetApplicationName</c>).
    /// </summary>
    public bool KeepDataProtectionKeys { get; set; } = true;

    /// <summary>
    /// An app's own migrations, applied after Tessera's by the same runner in one start-up step.
    /// Give them a module name of their own: each module keeps its own version number.
    /// </summary>
    public IList<PostgresMigration> AdditionalMigrations { get; } = [];
}
