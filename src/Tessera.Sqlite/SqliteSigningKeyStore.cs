using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>The key ring in the SQLite file (<see cref="SqlSigningKeyStore"/>).</summary>
public sealed class SqliteSigningKeyStore(SqliteDatabase database) : SqlSigningKeyStore(database);
