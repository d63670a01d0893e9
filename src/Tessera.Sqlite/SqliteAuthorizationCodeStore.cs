using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// Authorization codes in the SQLite file (<see cref="SqlAuthorizationCodeStore"/>): a redemption's
/// guarded UPDATE takes the file's write lock, so redeemers in every process take turns.
/// </summary>
public sealed class SqliteAuthorizationCodeStore(SqliteDatabase database) : SqlAuthorizationCodeStore(database);
