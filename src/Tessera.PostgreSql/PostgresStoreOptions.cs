namespace Tessera.PostgreSql;

/// <summary>How the PostgreSQL stores connect (configuration section <c>Tessera:Postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, such as <c>Host=db;Database=tessera;Username=tessera;Password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long opening a connection may take before the call fails with
    /// <see cref="Stores.StoreUnavailableException"/> (HTTP 503). Short, so an outage is answered
    /// at once instead of holding requests. Takes precedence over the connection string's <c>Timeout</c>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one statement may run. Takes precedence over the connection string's <c>Command Timeout</c>.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
