using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>docs/scaling.md's capacity arithmetic, checked by hand on made-up inputs (no timing anywhere).</summary>
public class CapacityTests
{
    // 2 µs of Redis CPU per command at 70 %: 350,000 commands/s per primary.
    private static readonly CapacityAssumptions Assumptions = new() { RedisCpuMicrosecondsPerCommand = 2 };

    private static readonly CapacityMode Redis = new("redis", CapacityStore.Redis, CpuMicrosecondsPerRequest: 60, BytesPerSession: 1000, StoreCommandsPerRequest: 3);

    [Fact]
    public void RequestsCoresMemoryAndCommandsScaleWithTheSessions()
    {
        CapacityRow row = Capacity.Compute(Redis, 1_000_000, Assumptions);

        Assert.Equal(1_000_000 / 60.0, row.RequestsPerSecond, 6);
        Assert.Equal(1_000_000 / 60.0 * 60 / 1e6, row.Cores!.Value, 9); // 1 core
        Assert.Equal(2e9, row.MemoryBytes!.Value, 3); // 1000 B × 1M × (primary + replica)
        Assert.Equal(50_000, row.StoreCommandsPerSecond!.Value, 6);
        Assert.Equal(1, row.RedisPrimaries);
    }

    [Fact]
    public void RedisPrimariesFollowTheLargerOfMemoryAndCommands()
    {
        // 100M: 5,000,000 commands/s / 350,000 = 14.3 → 15; data 1e11 B / 64 GiB = 1.46 → 2.
        Assert.Equal(15, Capacity.Compute(Redis, 100_000_000, Assumptions).RedisPrimaries);
        // Big records and few commands: memory decides. 100M × 10 KB = 1e12 B / 64 GiB = 14.6 → 15.
        CapacityMode fat = Redis with { BytesPerSession = 10_000, StoreCommandsPerRequest = 0.01 };
        Assert.Equal(15, Capacity.Compute(fat, 100_000_000, Assumptions).RedisPrimaries);
        // Redis's CPU per command not measured: no count rather than a guess.
        Assert.Null(Capacity.Compute(Redis, 1_000_000, new CapacityAssumptions()).RedisPrimaries);
    }

    [Fact]
    public void TheInMemoryStoreFitsOneMachineUntilItsMemoryOrCoresRunOut()
    {
        var memory = new CapacityMode("memory", CapacityStore.InProcess, 30, 1000, 0);

        Assert.True(Capacity.Compute(memory, 10_000_000, Assumptions).FitsOneMachine); // 10 GB, 5 cores
        Assert.Equal(0, Capacity.Compute(memory, 10_000_000, Assumptions).StoreCommandsPerSecond);
        Assert.False(Capacity.Compute(memory with { BytesPerSession = 4000 }, 100_000_000, Assumptions).FitsOneMachine); // 400 GB > 256 GiB

        (double? sessions, string limit) = Capacity.Ceiling(memory, Assumptions);
        // Cores: 64 × 1e6 / 30 µs × 60 s = 128M; memory: 256 GiB / 1000 B = 274.9M. Cores decide.
        Assert.Equal(64 * 1e6 / 30 * 60, sessions!.Value, 3);
        Assert.Contains("cores", limit, StringComparison.Ordinal);
    }

    [Fact]
    public void ARedisPrimaryStopsAtItsCommandThreadOrItsMemory()
    {
        (double? sessions, string limit) = Capacity.Ceiling(Redis, Assumptions);

        // 350,000 / 3 commands per request × 60 s = 7M sessions (memory would allow 68.7M).
        Assert.Equal(7_000_000, sessions!.Value, 3);
        Assert.Contains("command thread", limit, StringComparison.Ordinal);
        Assert.Contains("memory", Capacity.Ceiling(Redis with { BytesPerSession = 100_000 }, Assumptions).Limit, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRevocationListHoldsTheSignOutsOfOneAccessTokenLifetime()
    {
        // One sign-out per session per day, listed for 15 min: 1M × 900 / 86,400.
        Assert.Equal(1_000_000 * 900 / 86_400.0, Capacity.RevokedKeys(1_000_000, Assumptions), 6);
        var sid = new CapacityMode("sid", CapacityStore.RedisRevocationList, 100, 0, 1);
        CapacityRow row = Capacity.Compute(sid, 1_000_000, Assumptions);
        Assert.Equal(1_000_000 / 60.0, row.StoreCommandsPerSecond!.Value, 6);
        Assert.Null(row.MemoryBytes); // bytes per revoked key are not measured: the key count is given instead
        Assert.Equal(1, row.RedisPrimaries);
    }

    [Fact]
    public void BearerTokensNeedNoStoreAndNoCeiling()
    {
        var bearer = new CapacityMode("jwt", CapacityStore.None, 80, 0, 0);

        CapacityRow row = Capacity.Compute(bearer, 100_000_000, Assumptions);

        Assert.Equal(0, row.MemoryBytes);
        Assert.Equal(0, row.StoreCommandsPerSecond);
        Assert.Equal(100_000_000 / 60.0 * 80 / 1e6, row.Cores!.Value, 6);
        Assert.Null(Capacity.Ceiling(bearer, Assumptions).Sessions);
    }

    [Fact]
    public void TheSectionIsGeneratedFromTheResultsAndSaysWhatWasNotMeasured()
    {
        LoadBenchResults results = ConceptsTests.Results(withConcepts: true);

        string section = CapacitySection.Render(results);

        Assert.StartsWith(CapacitySection.Begin, section, StringComparison.Ordinal);
        Assert.EndsWith(CapacitySection.End, section, StringComparison.Ordinal);
        Assert.Contains("| 100,000,000 | Session cookie, Redis store |", section, StringComparison.Ordinal);
        Assert.Contains("1500 B per stored session", section, StringComparison.Ordinal); // from SessionMemory
        Assert.Contains("3.00 Redis commands per request", section, StringComparison.Ordinal); // from the second-server run
        Assert.Contains("2.00 µs of CPU per command", section, StringComparison.Ordinal);
        Assert.Contains("not measured", section, StringComparison.Ordinal); // SQLite's bytes per session
        Assert.DoesNotContain("NaN", section, StringComparison.Ordinal);

        string without = CapacitySection.Render(ConceptsTests.Results(withConcepts: false));
        Assert.DoesNotContain("3.00 Redis commands", without, StringComparison.Ordinal);
    }

    [Fact]
    public void APostgreSqlModeCountsStatementsButGivesNoPrimaryOrCeiling()
    {
        var postgres = new CapacityMode("pg", CapacityStore.PostgreSql, CpuMicrosecondsPerRequest: 70, BytesPerSession: null, StoreCommandsPerRequest: 1.5);

        CapacityRow row = Capacity.Compute(postgres, 1_000_000, Assumptions);

        Assert.Equal(1_000_000 / 60.0 * 1.5, row.StoreCommandsPerSecond!.Value, 6);
        Assert.Equal(1_000_000 / 60.0 * 70 / 1e6, row.Cores!.Value, 6);
        Assert.Null(row.MemoryBytes); // bytes per PostgreSQL session: not measured
        Assert.Null(row.RedisPrimaries);
        Assert.Null(row.FitsOneMachine);
        (double? sessions, string limit) = Capacity.Ceiling(postgres, Assumptions);
        Assert.Null(sessions);
        Assert.Contains("PostgreSQL", limit, StringComparison.Ordinal);
    }

    [Fact]
    public void APushedListWithNoCommandPerRequestHasNoCommandCeilingAndAFewCommandsGiveAFarOne()
    {
        var pushed = new CapacityMode("pushed", CapacityStore.RedisRevocationList, 60, 0, 0);
        (double? none, string why) = Capacity.Ceiling(pushed, Assumptions);
        Assert.Null(none);
        Assert.Contains("pushed", why, StringComparison.Ordinal);
        Assert.Equal(0, Capacity.Compute(pushed, 1_000_000, Assumptions).StoreCommandsPerSecond);

        // 0.01 commands per request: 350,000 / 0.01 × 60 sessions per primary, 100× the polled check's.
        (double? far, string limit) = Capacity.Ceiling(pushed with { StoreCommandsPerRequest = 0.01 }, Assumptions);
        Assert.Equal(350_000 / 0.01 * 60, far!.Value, 0);
        Assert.Contains("0.01 commands per request", limit, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSectionHasTheNearCachePushedPostgreSqlAndSqliteRowsFromTheLoadRun()
    {
        LoadBenchResults baseline = ConceptsTests.Results(withConcepts: true);
        ScenarioResult template = baseline.Scenarios.Single(s => s.Name == ScenarioNames.SessionRedis);
        ScenarioResult Row(string name, double cpu, double? operations)
        {
            Scenario scenario = Scenario.All.Single(s => s.Name == name);
            return template with { Number = scenario.Number, Name = name, Title = scenario.Title, ServerCpuMicrosecondsPerRequest = cpu, StoreOperationsPerRequest = operations };
        }

        LoadBenchResults results = baseline with
        {
            // The load run's own count wins over the second-server runs' (3.00) for row 4.
            Scenarios = [.. baseline.Scenarios.Select(s => s.Name == ScenarioNames.SessionRedis ? s with { StoreOperationsPerRequest = 2.5 } : s),
                Row(ScenarioNames.SessionRedisNearCache, 41, 0.0125), Row(ScenarioNames.BearerEs256SidPushed, 36, 0),
                Row(ScenarioNames.SessionPostgres, 90, 1.75), Row(ScenarioNames.SessionPostgresNearCache, 48, 0.03)],
            SessionMemory = [.. baseline.SessionMemory, new SessionMemoryResult("SQLite (SqliteSessionStore)", 1000, 600_000, 600, "m")],
        };

        string section = CapacitySection.Render(results);

        Assert.Contains("2.50 Redis commands per request", section, StringComparison.Ordinal);
        Assert.DoesNotContain("3.00 Redis commands per request", section, StringComparison.Ordinal);
        Assert.Contains("- Session cookie, Redis store behind the near cache: 41.0 µs of server CPU per request", section, StringComparison.Ordinal);
        Assert.Contains("0.01 Redis commands per request; plus a bounded near cache", section, StringComparison.Ordinal);
        // 1,000,000 sessions at one request a minute × 0.0125 commands per request.
        Assert.Contains("| 1,000,000 | Session cookie, Redis store behind the near cache | 16,667 | 2.8 GiB (2 copies) | 0.7 | 208 | 1 |", section, StringComparison.Ordinal);
        Assert.Contains("| 1,000,000 | Bearer JWT (ES256) + sid check on the pushed revocation list | 16,667 | 10,417 revoked-sid keys | 0.6 | 0 |", section, StringComparison.Ordinal);
        Assert.Contains("| Bearer JWT (ES256) + sid check on the pushed revocation list | — | no Redis command per request", section, StringComparison.Ordinal);
        Assert.Contains("1.75 PostgreSQL statements per request", section, StringComparison.Ordinal);
        Assert.Contains("| 1,000,000 | Session cookie, PostgreSQL store | 16,667 | not measured | 1.5 | 29,167 | — |", section, StringComparison.Ordinal);
        Assert.Contains("| 1,000,000 | Session cookie, PostgreSQL store behind the near cache | 16,667 | not measured | 0.8 | 500 | — |", section, StringComparison.Ordinal);
        Assert.Contains("600 B per stored session", section, StringComparison.Ordinal);
        Assert.Contains("| 1,000,000 | Session cookie, SQLite store | 16,667 | 572 MiB (file on disk) |", section, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", section, StringComparison.Ordinal);

        // PostgreSQL's bytes per session, when the run measured them: both PostgreSQL modes use them.
        string measured = CapacitySection.Render(results with
        {
            SessionMemory = [.. results.SessionMemory, new SessionMemoryResult("PostgreSQL (PostgresSessionStore)", 1000, 700_000, 700, "m")],
        });
        Assert.Contains("| 1,000,000 | Session cookie, PostgreSQL store | 16,667 | 668 MiB (database on disk) |", measured, StringComparison.Ordinal);
        Assert.Contains("| 1,000,000 | Session cookie, PostgreSQL store behind the near cache | 16,667 | 668 MiB (database on disk) |", measured, StringComparison.Ordinal);
    }
}
