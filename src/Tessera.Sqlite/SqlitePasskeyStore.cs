using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>Passkeys in the SQLite file's <c>passkeys</c> table; the statements are the shared ones (<see cref="SqlPasskeyStore"/>).</summary>
public sealed class SqlitePasskeyStore(SqliteDatabase database) : SqlPasskeyStore(database);
