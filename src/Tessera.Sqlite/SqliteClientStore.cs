using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>The OAuth client registry in the SQLite file; the statements are the shared ones (<see cref="SqlClientStore"/>).</summary>
public sealed class SqliteClientStore(SqliteDatabase database) : SqlClientStore(database);
