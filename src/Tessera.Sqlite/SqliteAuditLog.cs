using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>The audit log in the SQLite file's <c>audit_events</c> table; the statements are the shared ones (<see cref="SqlAuditLog"/>).</summary>
public sealed class SqliteAuditLog(SqliteDatabase database) : SqlAuditLog(database);
