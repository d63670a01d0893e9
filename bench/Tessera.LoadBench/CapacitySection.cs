using System.Globalization;
using System.Text;
using Tessera.LoadTarget;
using Tessera.Tokens;

namespace Tessera.LoadBench;

/// <summary>
/// docs/scaling.md's generated capacity section: <see cref="Capacity"/>'s arithmetic over the run's
/// measured inputs (server CPU per request and store operations per request from the load table,
/// bytes per session from the memory measurement, Redis CPU per command from the second-server runs,
/// which also give store commands per request where the load run did not count them), every
/// assumption printed beside it.
/// </summary>
public static class CapacitySection
{
    public const string Begin = "<!-- BEGIN CAPACITY GENERATED";
    public const string End = "<!-- END CAPACITY GENERATED -->";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The modes with the run's measured inputs (null where the run did not measure one).</summary>
    public static IReadOnlyList<CapacityMode> Modes(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        double? Cpu(string name) => results.Scenarios.FirstOrDefault(s => s.Name == name)?.ServerCpuMicrosecondsPerRequest;
        double? Bytes(string prefix) => results.SessionMemory.FirstOrDefault(m => m.Store.StartsWith(prefix, StringComparison.Ordinal))?.BytesPerSession;
        // The load run's own count (every run of the row), else the second-server runs' (one instance behind nginx).
        double? Commands(string name) => results.Scenarios.FirstOrDefault(s => s.Name == name)?.StoreOperationsPerRequest
            ?? results.Concepts?.SecondServer.FirstOrDefault(s => s.Scenario == name)?.One.StoreCommandsPerRequest;
        const string NearCache = "plus a bounded near cache in each instance (10,000 records by default)";
        return
        [
            new("Session cookie, in-memory store", CapacityStore.InProcess, Cpu(ScenarioNames.SessionMemory), Bytes("in-memory"), 0),
            // SQLite's statements are not counted (the file is in the process; its limit is the machine).
            new("Session cookie, SQLite store", CapacityStore.SqliteFile, Cpu(ScenarioNames.SessionSqlite), Bytes("SQLite"), null),
            new("Session cookie, Redis store", CapacityStore.Redis, Cpu(ScenarioNames.SessionRedis), Bytes("Redis"), Commands(ScenarioNames.SessionRedis)),
            new("Session cookie, Redis store behind the near cache", CapacityStore.Redis, Cpu(ScenarioNames.SessionRedisNearCache), Bytes("Redis"), Commands(ScenarioNames.SessionRedisNearCache), NearCache),
            new("Session cookie, PostgreSQL store", CapacityStore.PostgreSql, Cpu(ScenarioNames.SessionPostgres), Bytes("PostgreSQL"), Commands(ScenarioNames.SessionPostgres)),
            new("Session cookie, PostgreSQL store behind the near cache", CapacityStore.PostgreSql, Cpu(ScenarioNames.SessionPostgresNearCache), Bytes("PostgreSQL"), Commands(ScenarioNames.SessionPostgresNearCache), NearCache),
            new("Bearer JWT (ES256)", CapacityStore.None, Cpu(ScenarioNames.BearerEs256), 0, 0),
            new("Bearer JWT (ES256) + sid check in Redis", CapacityStore.RedisRevocationList, Cpu(ScenarioNames.BearerEs256Sid), 0, Commands(ScenarioNames.BearerEs256Sid)),
            new("Bearer JWT (ES256) + sid check on the pushed revocation list", CapacityStore.RedisRevocationList, Cpu(ScenarioNames.BearerEs256SidPushed), 0, Commands(ScenarioNames.BearerEs256SidPushed),
                "plus the revoked sids in each instance's memory"),
        ];
    }

    public static CapacityAssumptions Assumptions(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        double? redisCpu = results.Concepts?.SecondServer
            .Select(s => s.One.StoreCpuMicrosecondsPerCommand)
            .FirstOrDefault(c => c is not null);
        return new CapacityAssumptions
        {
            RedisCpuMicrosecondsPerCommand = redisCpu,
            AccessTokenLifetimeSeconds = new TesseraTokenOptions().AccessTokenLifetime.TotalSeconds,
        };
    }

    public static void Export(LoadBenchResults results, string root) =>
        DocSection.Replace(Path.Combine(root, "docs", "scaling.md"), Begin, End, Render(results));

    public static string Render(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<CapacityMode> modes = Modes(results);
        CapacityAssumptions assumptions = Assumptions(results);
        var doc = new StringBuilder();
        doc.Append(Begin).Append(": written by Tessera.LoadBench --export-doc from the run in benchmarks.md; do not edit by hand -->\n\n");
        doc.Append(Invariant, $"From the load run of {results.StartedAt:yyyy-MM-dd HH:mm} UTC ([benchmarks.md](benchmarks.md#load-results), `{results.Command}`), on {results.Cpu}. ");
        doc.Append("The arithmetic is `Capacity.cs` in bench/Tessera.LoadBench (unit-tested); change an assumption there and regenerate.\n\n");
        doc.Append("Measured in the run:\n\n");
        foreach (CapacityMode mode in modes)
        {
            doc.Append(Invariant, $"- {mode.Name}: {Number(mode.CpuMicrosecondsPerRequest, "F1", " µs")} of server CPU per request (the benchmark's endpoint does nothing else: an application's own work comes on top); ");
            doc.Append(mode.Store switch
            {
                CapacityStore.None or CapacityStore.RedisRevocationList => "no record per session",
                _ when mode.BytesPerSession is null => "bytes per stored session not measured",
                _ => Number(mode.BytesPerSession, "F0", " B") + " per stored session",
            }).Append("; ");
            doc.Append(mode.Store switch
            {
                CapacityStore.InProcess or CapacityStore.None => "no store round trip",
                CapacityStore.SqliteFile => "its statements not counted",
                CapacityStore.PostgreSql => Number(mode.StoreCommandsPerRequest, "F2", "") + " PostgreSQL statements per request",
                _ => Number(mode.StoreCommandsPerRequest, "F2", "") + " Redis commands per request",
            }).Append(mode.Note is null ? "" : "; " + mode.Note).Append(".\n");
        }

        doc.Append(Invariant, $"- Redis: {Number(assumptions.RedisCpuMicrosecondsPerCommand, "F2", " µs")} of CPU per command (its command thread), so one primary executes about {Number(assumptions.RedisCommandsPerSecondPerPrimary, "N0", "")} commands/s at {assumptions.RedisUtilization * 100:F0} % of that thread. That is Redis's CPU at the benchmark's load, on a core it shares with wrk and nginx; a busier Redis handles more commands per wake-up, so a primary's real ceiling is higher: the primary counts below are an upper bound.\n\n");
        doc.Append("Assumptions (stated, not measured):\n\n");
        doc.Append(Invariant, $"- Every active session makes one request every {1 / assumptions.RequestsPerSessionPerSecond:F0} s; cores and store commands scale linearly with that rate.\n");
        doc.Append(Invariant, $"- Redis keeps {assumptions.RedisCopies} copies of every key (a primary and {assumptions.RedisCopies - 1} replica); a primary holds at most {assumptions.RedisPrimaryMemoryBytes / Gib:F0} GiB of data and runs its command thread at most at {assumptions.RedisUtilization * 100:F0} %.\n");
        doc.Append(Invariant, $"- One large machine: {assumptions.MachineCores:F0} cores, {assumptions.MachineMemoryBytes / Gib:F0} GiB for sessions.\n");
        doc.Append(Invariant, $"- JWT + sid: {assumptions.RevocationsPerSessionPerDay:F0} sign-out per active session per day; a revoked sid stays listed for the access-token lifetime ({assumptions.AccessTokenLifetimeSeconds / 60:F0} min).\n");
        doc.Append("- Store commands are counted around every run of the load table (the median of the runs; the second-server runs' count where the load run has none). Redis: its own count (`total_commands_processed`): a Lua script and each call inside it count, and Redis's CPU per command is over the same count. PostgreSQL: the statements executed in the row's database (pg_stat_statements' calls: the change feed's LISTEN and heartbeats included, and the `DISCARD ALL` with which Npgsql resets a pooled connection before its next command, sent in the same round trip); its server's own capacity is not measured, so no primary count is given. SQLite's statements are not counted. Behind a near cache or a pushed list, the store works per change (sign-in, sign-out, touch) and per feed heartbeat, not per request: the figure is that work over the run's requests, at the benchmark's rate and user count.\n");
        doc.Append("- SQLite's bytes per session are the database file's growth on disk, PostgreSQL's the database's (`pg_database_size`, one copy: a replica doubles it); the OS page cache and shared buffers hold the hot part in memory.\n\n");

        doc.Append("| Active sessions | Mode | Requests/s | Memory for sessions | Server cores | Store commands/s | Redis primaries | Notes |\n|---:|---|---:|---:|---:|---:|---:|---|\n");
        foreach (long sessions in Capacity.SessionCounts)
        {
            foreach (CapacityMode mode in modes)
            {
                CapacityRow row = Capacity.Compute(mode, sessions, assumptions);
                string memory = mode.Store == CapacityStore.RedisRevocationList
                    ? $"{row.RevokedKeys:N0} revoked-sid keys"
                    : row.MemoryBytes is { } m ? Size(m) + mode.Store switch
                    {
                        CapacityStore.Redis => $" ({assumptions.RedisCopies} copies)",
                        CapacityStore.SqliteFile => " (file on disk)",
                        CapacityStore.PostgreSql => " (database on disk)",
                        _ => "",
                    } : "not measured";
                string note = row.FitsOneMachine switch
                {
                    true => "fits one machine",
                    false => "**exceeds one machine**" + (mode.Store == CapacityStore.InProcess ? ": sticky sessions over several, each restart signs its users out" : ": one file cannot be shared"),
                    null => mode.Store == CapacityStore.None ? "no store: instances only" : "",
                };
                note = mode.Note is null ? note : note.Length == 0 ? mode.Note : $"{note}; {mode.Note}";
                doc.Append(Invariant, $"| {sessions:N0} | {mode.Name} | {row.RequestsPerSecond:N0} | {memory} | {Number(row.Cores, "F1", "")} | {Number(row.StoreCommandsPerSecond, "N0", "")} | {(row.RedisPrimaries is { } p ? p.ToString(Invariant) : "—")} | {note} |\n");
            }
        }

        doc.Append("\nWhere each design stops (one unit: one machine for the in-memory and SQLite stores, one Redis primary for the Redis modes; past it, more machines or Redis Cluster primaries):\n\n");
        doc.Append("| Mode | Largest number of active sessions one unit carries | Limited by |\n|---|---:|---|\n");
        foreach (CapacityMode mode in modes)
        {
            (double? ceiling, string limit) = Capacity.Ceiling(mode, assumptions);
            doc.Append(Invariant, $"| {mode.Name} | {(ceiling is { } c ? c.ToString("N0", Invariant) : "—")} | {limit} |\n");
        }

        doc.Append('\n').Append(End);
        return doc.ToString();
    }

    private const double Gib = 1024.0 * 1024 * 1024;

    private static string Number(double? value, string format, string unit) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, Invariant) + unit : "not measured";

    private static string Size(double bytes) => bytes switch
    {
        0 => "none",
        >= 1024 * Gib => (bytes / (1024 * Gib)).ToString("F2", Invariant) + " TiB",
        >= Gib => (bytes / Gib).ToString("F1", Invariant) + " GiB",
        _ => (bytes / (1024 * 1024)).ToString("F0", Invariant) + " MiB",
    };
}
