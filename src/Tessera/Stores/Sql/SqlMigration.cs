namespace Tessera.Stores.Sql;

/// <summary>
/// One step of a schema. Migrations are numbered per <see cref="Module"/> (Tessera's own tables,
/// an application's tables…) 1, 2, 3…, applied in order, once, each module in its own transaction.
/// A backend names its own kind (<c>SqliteMigration</c>, <c>PostgresMigration</c>) so SQL written
/// for one cannot be handed to the other.
/// </summary>
public abstract record SqlMigration(string Module, int Version, string Description, string Sql);
