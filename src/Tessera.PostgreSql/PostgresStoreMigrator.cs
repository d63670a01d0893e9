using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>Tessera's schema, the Data Protection key table, the replay marks' table, then the app's own migrations.</summary>
internal sealed class PostgresStoreMigrator(PostgresDatabase database, IEnumerable<PostgresMigration> additional) : IStoreMigrator
{
    public string Target => $"the PostgreSQL database '{database.DatabaseName}'";

    public ValueTask MigrateAsync(CancellationToken cancellationToken)
    {
        // A module's steps are numbered once: an app's step recorded as tessera:N would make a later
        // Tessera release skip its own step N on this database.
        if (additional.FirstOrDefault(m => m.Module is TesseraPostgresSchema.Module or PostgresXmlRepository.Module or PostgresReplayStore.Module) is { } clash)
        {
            throw new InvalidOperationException($"An additional migration ('{clash.Description}') uses Tessera's own module name '{clash.Module}'; give the app's migrations a module of their own.");
        }

        return database.MigrateAsync([.. TesseraPostgresSchema.Migrations, .. PostgresXmlRepository.Migrations, .. PostgresReplayStore.Migrations, .. additional], cancellationToken);
    }
}
