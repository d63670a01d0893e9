using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>The audit log in PostgreSQL's <c>audit_events</c> table; the statements are the shared ones (<see cref="SqlAuditLog"/>).</summary>
public sealed class PostgresAuditLog(PostgresDatabase database) : SqlAuditLog(database);
