namespace Tessera.PostgreSql;

/// <summary>
/// One step of a schema. Migrations are numbered per <see cref="Module"/> (Tessera's own tables,
/// an application's tables…), applied in order, once, each in its own transaction.
/// </summary>
public sealed record PostgresMigration(string Module, int Version, string Description, string Sql);
