using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>Accounts in the SQLite file; the statements are the shared ones (<see cref="SqlUserStore"/>).</summary>
public sealed class SqliteUserStore(SqliteDatabase database) : SqlUserStore(database);
