using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>Answers when the file opens and a query on Tessera's tables runs.</summary>
public sealed class SqliteHealthProbe(SqliteDatabase database) : SqlHealthProbe(database, "sqlite");
