using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>
/// Keeps the load harness from rotting: the quick run (seconds per scenario) must produce a result
/// for every scenario, every request answered 2xx, and the generated docs must render from it.
/// Nothing here looks at speed. Needs wrk (./test.sh installs it).
/// </summary>
public class QuickRunTests
{
    [Fact]
    public async Task EveryScenarioProducesAResultWithOnlySuccessfulResponses()
    {
        string output = Directory.CreateTempSubdirectory("tessera-load-test-").FullName;
        try
        {
            // The request-path rows; the issuing rows (#13) have their own quick run (IssuingRunTests).
            LoadBenchOptions options = LoadBenchOptions.QuickRun with { OutputFolder = output, SessionMemoryCount = 2_000, Scenarios = ScenarioNames.All };
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));

            LoadBenchResults results = await LoadBenchmark.RunAsync(options, "test", TextWriter.Null, timeout.Token);
            ResultsFiles.Write(results, output);

            Assert.Equal(ScenarioNames.All, results.Scenarios.Select(s => s.Name));
            Assert.Empty(Failures.Of(results));
            Assert.All(results.Scenarios, s => Assert.True(s.Runs.Single().Requests > 0, s.Name));
            Assert.All(results.SessionMemory, m => Assert.True(m.BytesPerSession > 0, m.Store));
            Assert.True(File.Exists(Path.Combine(output, ResultsFiles.JsonName)));
            string table = DocSection.Benchmarks(results);
            string concepts = DocSection.Concepts(results);
            Assert.All(results.Scenarios, s => Assert.Contains(s.Title, table, StringComparison.Ordinal));
            Assert.Contains(DocSection.ConceptsEnd, concepts, StringComparison.Ordinal);
            Assert.Contains("</svg>", SvgChart.Render(results), StringComparison.Ordinal);

            // #13 capacity: every Redis and PostgreSQL row counts its store operations, and the near
            // cache and the pushed list take the store off the request path (a count, not a timing).
            double Operations(string name) => results.Scenarios.Single(s => s.Name == name).StoreOperationsPerRequest ?? throw new InvalidOperationException(name + ": not counted");
            Assert.True(Operations(ScenarioNames.SessionRedisNearCache) < Operations(ScenarioNames.SessionRedis) / 4, "Redis near cache");
            Assert.True(Operations(ScenarioNames.BearerEs256SidPushed) < Operations(ScenarioNames.BearerEs256Sid) / 4, "pushed revocation list");
            Assert.True(Operations(ScenarioNames.SessionPostgres) >= 1, "every PostgreSQL lookup is a statement");
            Assert.True(Operations(ScenarioNames.SessionPostgresNearCache) < Operations(ScenarioNames.SessionPostgres) / 4, "PostgreSQL near cache");
            Assert.Null(results.Scenarios.Single(s => s.Name == ScenarioNames.SessionSqlite).StoreOperationsPerRequest);
            Assert.Contains(results.SessionMemory, m => m.Store.StartsWith("SQLite", StringComparison.Ordinal));
            Assert.Contains(results.SessionMemory, m => m.Store.StartsWith("PostgreSQL", StringComparison.Ordinal)); // the run has PostgreSQL rows
            string capacity = CapacitySection.Render(results);
            Assert.Contains("Session cookie, PostgreSQL store behind the near cache: ", capacity, StringComparison.Ordinal);
            Assert.DoesNotContain("NaN", capacity, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task ASessionCookieIsRefusedRightAfterSignOutWhileSelfContainedCredentialsStillWork()
    {
        // What docs/concepts.md states about revocation, checked on every run of the suite.
        LoadBenchOptions options = LoadBenchOptions.QuickRun with
        {
            Scenarios = [ScenarioNames.SessionMemory, ScenarioNames.BearerEs256, ScenarioNames.AspNetCookie],
            SessionMemoryCount = 0,
            Warmup = TimeSpan.Zero,
            Duration = TimeSpan.FromSeconds(1),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        LoadBenchResults results = await LoadBenchmark.RunAsync(options, "test", TextWriter.Null, timeout.Token);

        Assert.True(results.Scenarios.Single(s => s.Name == ScenarioNames.SessionMemory).RefusedRightAfterRevocation);
        Assert.False(results.Scenarios.Single(s => s.Name == ScenarioNames.BearerEs256).RefusedRightAfterRevocation);
        Assert.False(results.Scenarios.Single(s => s.Name == ScenarioNames.AspNetCookie).RefusedRightAfterRevocation);
    }

    [Fact]
    public void UnknownScenariosAndArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => LoadBenchOptions.Parse(["--only", "nope"]));
        Assert.Throws<ArgumentException>(() => LoadBenchOptions.Parse(["--bogus"]));
        Assert.Throws<ArgumentException>(() => LoadBenchOptions.Parse(["--rounds"]));
        Assert.True(LoadBenchOptions.Parse(["--quick"]).Quick);
        // --quick runs the issuing rows too; --only picks them by name.
        Assert.Superset(ScenarioNames.Issuing.ToHashSet(), LoadBenchOptions.Parse(["--quick"]).Scenarios.ToHashSet());
        Assert.Equal([ScenarioNames.RefreshSqlite], LoadBenchOptions.Parse(["--only", ScenarioNames.RefreshSqlite]).Scenarios);
    }
}
