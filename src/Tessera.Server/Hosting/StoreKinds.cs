namespace Tessera.Server.Hosting;

/// <summary>The values of <c>Tessera:Store</c>: which backend keeps users, sessions, keys and the shop.</summary>
internal static class StoreKinds
{
    /// <summary>One embedded SQLite file in the data folder; the default, nothing to install.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL database (<c>Tessera:Postgres:ConnectionString</c>) that several instances share.</summary>
    public const string Postgres = "postgres";

    public static bool Is(string? configured, string kind) => string.Equals(configured ?? Sqlite, kind, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown(string? configured) => Is(configured, Sqlite) || Is(configured, Postgres);
}
