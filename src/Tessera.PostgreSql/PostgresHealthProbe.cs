using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>Answers when a connection opens and a query on Tessera's tables runs.</summary>
public sealed class PostgresHealthProbe(PostgresDatabase database) : SqlHealthProbe(database, "postgres");
