using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// One step of a schema in PostgreSQL's dialect. Migrations are numbered per <see cref="SqlMigration.Module"/>
/// (Tessera's own tables, an application's tables…), applied in order, once, each module in its own transaction.
/// </summary>
public sealed record PostgresMigration(string Module, int Version, string Description, string Sql)
    : SqlMigration(Module, Version, Description, Sql);
