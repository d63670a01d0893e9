namespace Tessera.LoadBench;

/// <summary>Where a mode keeps what it checks on every request; decides which limits apply.</summary>
public enum CapacityStore
{
    /// <summary>In the process's memory (the in-memory session store): one machine, or sticky sessions.</summary>
    InProcess,

    /// <summary>One SQLite file: every instance on the one machine that has the file.</summary>
    SqliteFile,

    /// <summary>Redis: the records in Redis, one round trip per store command.</summary>
    Redis,

    /// <summary>Nothing per request (bearer JWT verified with the public keys).</summary>
    None,

    /// <summary>Redis holding only the revoked session ids (bearer JWT plus the <c>sid</c> check).</summary>
    RedisRevocationList,

    /// <summary>PostgreSQL: the records in one database that every instance shares, statements per store call (#13 capacity).</summary>
    PostgreSql,
}

/// <summary>
/// One mode's measured inputs; null where the run did not measure it. <paramref name="Note"/> says
/// what the table's columns do not (the near cache's and the pushed list's memory in each instance).
/// </summary>
public sealed record CapacityMode(
    string Name, CapacityStore Store, double? CpuMicrosecondsPerRequest, double? BytesPerSession, double? StoreCommandsPerRequest, string? Note = null);

/// <summary>
/// The stated assumptions of the capacity arithmetic (docs/scaling.md prints each one). The
/// measured inputs are in <see cref="CapacityMode"/> and <see cref="RedisCpuMicrosecondsPerCommand"/>.
/// </summary>
public sealed record CapacityAssumptions
{
    /// <summary>Requests each active session makes per second (default: one a minute).</summary>
    public double RequestsPerSessionPerSecond { get; init; } = 1 / 60.0;

    /// <summary>Copies of every Redis key: the primary and its replicas (default: one replica).</summary>
    public int RedisCopies { get; init; } = 2;

    /// <summary>Data one Redis primary holds at most (default 64 GiB).</summary>
    public double RedisPrimaryMemoryBytes { get; init; } = 64.0 * 1024 * 1024 * 1024;

    /// <summary>The share of its one command thread a primary may use (default 70 %: room for bursts, persistence, replication).</summary>
    public double RedisUtilization { get; init; } = 0.7;

    /// <summary>One large machine: cores (default 64).</summary>
    public double MachineCores { get; init; } = 64;

    /// <summary>One large machine: memory for sessions (default 256 GiB).</summary>
    public double MachineMemoryBytes { get; init; } = 256.0 * 1024 * 1024 * 1024;

    /// <summary>Sign-outs (revocations) per active session per day (default one).</summary>
    public double RevocationsPerSessionPerDay { get; init; } = 1;

    /// <summary>How long a revoked sid stays on the list: the access-token lifetime (seconds).</summary>
    public double AccessTokenLifetimeSeconds { get; init; } = 900;

    /// <summary>Measured: Redis's CPU time per command (its command thread), from the second-server runs.</summary>
    public double? RedisCpuMicrosecondsPerCommand { get; init; }

    /// <summary>Commands one primary executes per second at <see cref="RedisUtilization"/>, or null when not measured.</summary>
    public double? RedisCommandsPerSecondPerPrimary => RedisCpuMicrosecondsPerCommand is > 0 and var cpu ? RedisUtilization * 1e6 / cpu : null;
}

/// <summary>One mode at one number of active sessions.</summary>
public sealed record CapacityRow(
    string Mode, long Sessions, double RequestsPerSecond, double? MemoryBytes, double? Cores, double? StoreCommandsPerSecond,
    double? RevokedKeys, int? RedisPrimaries, bool? FitsOneMachine);

/// <summary>
/// The capacity arithmetic of docs/scaling.md, from measured inputs and stated assumptions. Pure
/// arithmetic (tests/Tessera.LoadBench.Tests checks it on made-up inputs).
/// </summary>
public static class Capacity
{
    /// <summary>The numbers of active sessions the doc tabulates.</summary>
    public static IReadOnlyList<long> SessionCounts { get; } = [1_000_000, 10_000_000, 100_000_000];

    public static CapacityRow Compute(CapacityMode mode, long sessions, CapacityAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(assumptions);
        double rate = sessions * assumptions.RequestsPerSessionPerSecond;
        double? cores = rate * mode.CpuMicrosecondsPerRequest / 1e6;
        double? commands = mode.Store switch
        {
            CapacityStore.InProcess or CapacityStore.None => 0,
            _ => rate * mode.StoreCommandsPerRequest,
        };
        double? revoked = mode.Store == CapacityStore.RedisRevocationList ? RevokedKeys(sessions, assumptions) : null;
        double? memory = mode.Store switch
        {
            CapacityStore.None => 0,
            CapacityStore.RedisRevocationList => null, // bytes per revoked key: not measured; the key count is
            CapacityStore.Redis => sessions * mode.BytesPerSession * assumptions.RedisCopies,
            _ => sessions * mode.BytesPerSession,
        };
        int? primaries = mode.Store switch
        {
            CapacityStore.Redis => RedisPrimaries(sessions * mode.BytesPerSession, commands, assumptions),
            CapacityStore.RedisRevocationList => RedisPrimaries(0, commands, assumptions),
            _ => null,
        };
        bool? fits = mode.Store switch
        {
            CapacityStore.InProcess => cores is null || memory is null ? null : cores <= assumptions.MachineCores && memory <= assumptions.MachineMemoryBytes,
            CapacityStore.SqliteFile => cores is null ? null : cores <= assumptions.MachineCores,
            _ => null,
        };
        return new CapacityRow(mode.Name, sessions, rate, memory, cores, commands, revoked, primaries, fits);
    }

    /// <summary>Revoked sids on the list at any time: revocations per second × how long each stays.</summary>
    public static double RevokedKeys(long sessions, CapacityAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(assumptions);
        return sessions * assumptions.RevocationsPerSessionPerDay / 86_400 * assumptions.AccessTokenLifetimeSeconds;
    }

    /// <summary>
    /// Primaries needed for <paramref name="dataBytes"/> (one copy) and <paramref name="commandsPerSecond"/>:
    /// the larger of the two requirements, at least one; null when an input is missing.
    /// </summary>
    public static int? RedisPrimaries(double? dataBytes, double? commandsPerSecond, CapacityAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(assumptions);
        if (dataBytes is null || commandsPerSecond is null || assumptions.RedisCommandsPerSecondPerPrimary is not { } perPrimary)
        {
            return null;
        }

        double byMemory = dataBytes.Value / assumptions.RedisPrimaryMemoryBytes;
        double byCommands = commandsPerSecond.Value / perPrimary;
        return Math.Max(1, (int)Math.Ceiling(Math.Max(byMemory, byCommands)));
    }

    /// <summary>
    /// The most active sessions one unit of the design carries (one machine for in-process and
    /// SQLite, one Redis primary for the Redis modes), and what limits it; null when unbounded
    /// (no store) or not measured.
    /// </summary>
    public static (double? Sessions, string Limit) Ceiling(CapacityMode mode, CapacityAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(assumptions);
        double? byCores = mode.CpuMicrosecondsPerRequest is > 0 and var cpu ? assumptions.MachineCores * 1e6 / cpu / assumptions.RequestsPerSessionPerSecond : null;
        double? byCommands = mode.StoreCommandsPerRequest is > 0 and var ops && assumptions.RedisCommandsPerSecondPerPrimary is { } perPrimary
            ? perPrimary / ops / assumptions.RequestsPerSessionPerSecond
            : null;
        switch (mode.Store)
        {
            case CapacityStore.InProcess:
                double? byMemory = mode.BytesPerSession is > 0 and var b ? assumptions.MachineMemoryBytes / b : null;
                return Smaller((byCores, "the machine's cores"), (byMemory, "the machine's memory"));
            case CapacityStore.SqliteFile:
                return Smaller((byCores, "the machine's cores (one file, one machine)"), (null, ""));
            case CapacityStore.Redis:
                double? byPrimaryMemory = mode.BytesPerSession is > 0 and var r ? assumptions.RedisPrimaryMemoryBytes / r : null;
                return Smaller((byPrimaryMemory, "one primary's memory"), (byCommands, "one primary's command thread"));
            case CapacityStore.RedisRevocationList when mode.StoreCommandsPerRequest is 0:
                return (null, "no Redis command per request (the list is pushed): instances are added freely");
            case CapacityStore.RedisRevocationList:
                return Smaller((byCommands, $"one primary's command thread ({mode.StoreCommandsPerRequest?.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} commands per request)"), (null, ""));
            case CapacityStore.PostgreSql:
                // The database server's own throughput is not measured (it shares a core with wrk here).
                return (null, "the PostgreSQL primary's throughput (not measured)");
            default:
                return (null, "no store: instances are added freely");
        }
    }

    private static (double? Sessions, string Limit) Smaller((double? Value, string Why) a, (double? Value, string Why) b) =>
        (a.Value, b.Value) switch
        {
            (null, null) => (null, "not measured"),
            (null, _) => b,
            (_, null) => a,
            _ => a.Value <= b.Value ? a : b,
        };
}
