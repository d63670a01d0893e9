using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary>The in-process server with <c>Tessera:Store=postgres</c> on a fresh database of a test cluster.</summary>
internal static class PostgresTestServer
{
    /// <summary>Settings that point a <see cref="TestServerFactory"/> at <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Tessera:Store"] = "postgres",
        ["Tessera:Postgres:ConnectionString"] = connectionString,
        // Short, so an outage is answered in seconds even on a loaded machine.
        ["Tessera:Postgres:ConnectTimeout"] = "00:00:03",
    };

    public static async Task<TestServerFactory> StartAsync(PostgresServer cluster, string? connectionString = null) =>
        new(Settings(connectionString ?? await cluster.CreateDatabaseAsync()));
}
