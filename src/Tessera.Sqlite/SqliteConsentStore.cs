using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>Remembered consents in the SQLite file; the statements are the shared ones (<see cref="SqlConsentStore"/>).</summary>
public sealed class SqliteConsentStore(SqliteDatabase database) : SqlConsentStore(database);
