using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Authorization codes in PostgreSQL (<see cref="SqlAuthorizationCodeStore"/>), safe across
/// instances: a redemption's UPDATE waits for a concurrent one on the same row and, at READ
/// COMMITTED, re-checks <c>redeemed_at IS NULL</c> on the row that one committed, so it matches nothing.
/// </summary>
public sealed class PostgresAuthorizationCodeStore(PostgresDatabase database) : SqlAuthorizationCodeStore(database);
