using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>Remembered consents in PostgreSQL; the statements are the shared ones (<see cref="SqlConsentStore"/>).</summary>
public sealed class PostgresConsentStore(PostgresDatabase database) : SqlConsentStore(database);
