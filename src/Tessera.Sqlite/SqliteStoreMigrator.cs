using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>Tessera's schema, then the app's own migrations, on one SQLite database.</summary>
internal sealed class SqliteStoreMigrator(SqliteDatabase database, IEnumerable<SqliteMigration> additional) : IStoreMigrator
{
    public string Target => $"the database {database.Path}";

    public ValueTask MigrateAsync(CancellationToken cancellationToken)
    {
        // A module's steps are numbered once: an app's step recorded as tessera:N would make a later
        // Tessera release skip its own step N on this database.
        if (additional.FirstOrDefault(m => m.Module == TesseraSqliteSchema.Module) is { } clash)
        {
            throw new InvalidOperationException($"An additional migration ('{clash.Description}') uses Tessera's own module name '{clash.Module}'; give the app's migrations a module of their own.");
        }

        return database.MigrateAsync([.. TesseraSqliteSchema.Migrations, .. additional], cancellationToken);
    }
}
