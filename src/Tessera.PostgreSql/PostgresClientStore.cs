using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>The OAuth client registry in PostgreSQL; the statements are the shared ones (<see cref="SqlClientStore"/>).</summary>
public sealed class PostgresClientStore(PostgresDatabase database) : SqlClientStore(database);
