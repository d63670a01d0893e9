using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>Accounts in PostgreSQL; the statements are the shared ones (<see cref="SqlUserStore"/>).</summary>
public sealed class PostgresUserStore(PostgresDatabase database) : SqlUserStore(database);
