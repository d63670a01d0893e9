using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>Passkeys in PostgreSQL's <c>passkeys</c> table; the statements are the shared ones (<see cref="SqlPasskeyStore"/>).</summary>
public sealed class PostgresPasskeyStore(PostgresDatabase database) : SqlPasskeyStore(database);
