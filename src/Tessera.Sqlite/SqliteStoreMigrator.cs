using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>Tessera's schema, then the app's own migrations, on one SQLite database.</summary>
internal sealed class SqliteStoreMigrator(SqliteDatabase database, IEnumerable<SqliteMigration> additional) : IStoreMigrator
{
    public string Target => $"the database {database.Path}";

    public ValueTask MigrateAsync(CancellationToken cancellationToken) =>
        database.MigrateAsync([.. TesseraSqliteSchema.Migrations, .. additional], cancellationToken);
}
