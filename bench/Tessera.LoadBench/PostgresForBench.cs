using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tessera.Testing.Servers;

namespace Tessera.LoadBench;

/// <summary>
/// Debian's PostgreSQL for the issuing scenarios on PostgreSQL (#13): the test suite's
/// <see cref="PostgresServer"/> (initdb in a temporary folder, a free loopback port, stopped and
/// deleted at the end; fsync off: a benchmark measures the CPU per request, not the disk, as Redis
/// runs without its append-only file here), one fresh database per scenario, and, when pinning, the
/// postmaster and its processes moved to the load generator's cores (backends forked later inherit
/// that), so the database does not share the server's core.
/// </summary>
public sealed class PostgresForBench : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private PostgresForBench(PostgresServer server) => _server = server;

    public static async Task<PostgresForBench> StartAsync(string? cores, CancellationToken cancellationToken) =>
        await StartAsync(cores, countStatements: false, cancellationToken);

    /// <summary>
    /// As the other overload; with <paramref name="countStatements"/>, pg_stat_statements is loaded
    /// (a restart: it needs <c>shared_preload_libraries</c>) so <see cref="StatementsAsync"/> can
    /// count what a database executed (#13 capacity). Off for the issuing rows: its bookkeeping is a
    /// cost of its own.
    /// </summary>
    public static async Task<PostgresForBench> StartAsync(string? cores, bool countStatements, CancellationToken cancellationToken)
    {
        PostgresServer server = await PostgresServer.StartNewAsync();
        try
        {
            if (countStatements)
            {
                await ExecuteAsync(server.ConnectionString(), "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'", cancellationToken);
                await server.StopAsync();
                await server.StartAsync();
                await ExecuteAsync(server.ConnectionString(), "CREATE EXTENSION pg_stat_statements", cancellationToken);
            }

            if (cores is not null)
            {
                await PinAsync(server.Port, cores, cancellationToken);
            }

            return new PostgresForBench(server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database's connection string.</summary>
    public Task<string> CreateDatabaseAsync() => _server.CreateDatabaseAsync();

    /// <summary>
    /// A new, empty database's connection string for one of <paramref name="servers"/> targets
    /// sharing this cluster, its <c>Maximum Pool Size</c> its share of <c>max_connections</c> (at
    /// most Npgsql's default 100), as a deployment sizes its pools. Without it the pools together
    /// could ask for more than the cluster allows and the one that grows last is refused (53300):
    /// six issuing targets on the test cluster's 300 were, as 503 store_unavailable.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(int servers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(servers, 1);
        long limit;
        await using (var connection = new NpgsqlConnection(_server.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::bigint", connection);
            limit = (long)(await command.ExecuteScalarAsync())!;
        }

        // Room for the superuser's reserved slots and the harness's own reads; 2 per server for a change feed.
        int share = (int)Math.Min(NpgsqlPoolMaximum, (limit - ReservedConnections) / servers - 2);
        return new NpgsqlConnectionStringBuilder(await _server.CreateDatabaseAsync()) { MaxPoolSize = share }.ConnectionString;
    }

    // Npgsql's default Maximum Pool Size; what the superuser keeps (superuser_reserved_connections) and the harness uses.
    private const int NpgsqlPoolMaximum = 100;
    private const int ReservedConnections = 10;

    /// <summary>
    /// Statements executed so far in the database <paramref name="connectionString"/> names (the sum
    /// of pg_stat_statements' calls, updated as each statement ends, unlike pg_stat_database, whose
    /// counters a busy backend flushes only once a second). Read from the <c>postgres</c> database,
    /// so the reading itself is not counted. Needs <c>countStatements</c> at the start.
    /// </summary>
    public Task<long> StatementsAsync(string connectionString, CancellationToken cancellationToken) =>
        CountAsync("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)", connectionString, cancellationToken);

    /// <summary>The size on disk of the database <paramref name="connectionString"/> names (<c>pg_database_size</c>: tables, indexes and their forks; the cluster's WAL is not in it).</summary>
    public Task<long> DatabaseBytesAsync(string connectionString, CancellationToken cancellationToken) =>
        CountAsync("SELECT pg_database_size($1)", connectionString, cancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A number about the database <paramref name="connectionString"/> names (<c>$1</c> in <paramref name="sql"/>), read from the <c>postgres</c> database.</summary>
    private async Task<long> CountAsync(string sql, string connectionString, CancellationToken cancellationToken)
    {
        string database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? throw new ArgumentException("the connection string names no database", nameof(connectionString));
        await using var connection = new NpgsqlConnection(_server.ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(database);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        // Unpooled: a pooled connection would not survive the restart that loads pg_stat_statements.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task PinAsync(int port, string cores, CancellationToken cancellationToken)
    {
        // The postmaster's command line carries "-p PORT"; its children are the background processes.
        string postmaster = (await RunAsync("pgrep", ["-f", $"postgres .*-p {port.ToString(CultureInfo.InvariantCulture)} "], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).First();
        string children = await RunAsync("pgrep", ["-P", postmaster], cancellationToken, allowNone: true);
        foreach (string pid in children.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Prepend(postmaster))
        {
            await RunAsync("taskset", ["-a", "-p", "-c", cores, pid], cancellationToken);
        }
    }

    private static async Task<string> RunAsync(string program, string[] args, CancellationToken cancellationToken, bool allowNone = false)
    {
        using Process process = Process.Start(CpuPinning.Start(null, program, args))!;
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // pgrep exits 1 when nothing matches.
        return process.ExitCode == 0 || (allowNone && process.ExitCode == 1)
            ? output
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode})");
    }
}
