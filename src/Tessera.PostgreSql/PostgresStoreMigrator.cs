using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>Tessera's schema, the Data Protection key table, then the app's own migrations.</summary>
internal sealed class PostgresStoreMigrator(PostgresDatabase database, IEnumerable<PostgresMigration> additional) : IStoreMigrator
{
    public string Target => $"the PostgreSQL database '{database.DatabaseName}'";

    public ValueTask MigrateAsync(CancellationToken cancellationToken) =>
        database.MigrateAsync([.. TesseraPostgresSchema.Migrations, .. PostgresXmlRepository.Migrations, .. additional], cancellationToken);
}
