using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>The key ring in PostgreSQL (<see cref="SqlSigningKeyStore"/>), shared by every instance.</summary>
public sealed class PostgresSigningKeyStore(PostgresDatabase database) : SqlSigningKeyStore(database);
