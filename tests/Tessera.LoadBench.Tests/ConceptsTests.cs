using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>The concepts table's measured rows: rendered from the results, falling back to the old statements when not measured.</summary>
public class ConceptsTests
{
    [Fact]
    public void TheRestartRowCountsTheCredentialsThatSurvived()
    {
        string concepts = DocSection.Concepts(Results(withConcepts: true));

        Assert.Contains("in-memory 0/100, SQLite 100/100, Redis 100/100", concepts, StringComparison.Ordinal);
        Assert.Contains("ES256 tokens still accepted: 100/100", concepts, StringComparison.Ordinal);
        Assert.Contains("revoked before the restart, replayed after it: refused (the list is in Redis)", concepts, StringComparison.Ordinal);
        Assert.Contains("persisted to files); signed out before the restart, replayed after it: **accepted**", concepts, StringComparison.Ordinal);
        Assert.EndsWith(DocSection.ConceptsEnd, concepts, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecondServerAndStickyRowsCarryTheMeasuredNumbers()
    {
        string concepts = DocSection.Concepts(Results(withConcepts: true));

        Assert.Contains("+0.00 Redis commands per request (3.00 → 3.00)", concepts, StringComparison.Ordinal);
        Assert.Contains("requests/s ×0.90", concepts, StringComparison.Ordinal);
        Assert.Contains("Placement: both on core 0", concepts, StringComparison.Ordinal);
        Assert.Contains("| Sticky sessions |", concepts, StringComparison.Ordinal);
        Assert.Contains("client address 1.50", concepts, StringComparison.Ordinal); // 3000 / mean 2000
        Assert.Contains("| Revocation seen by another instance | " + ConceptsCells.NotMeasured, concepts, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheMeasurementsTheRowsKeepTheirStatements()
    {
        string concepts = DocSection.Concepts(Results(withConcepts: false));

        Assert.Contains("the SQLite and Redis stores' sessions (in-memory: none)", concepts, StringComparison.Ordinal);
        Assert.Contains("| What a second server needs | the same store (Redis, PostgreSQL; SQLite is one file on one machine) |", concepts, StringComparison.Ordinal);
        Assert.DoesNotContain("| Sticky sessions |", concepts, StringComparison.Ordinal);
        Assert.DoesNotContain("¹", concepts, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRevocationLatencyRunsFileFillsItsRowWhenPresent()
    {
        string folder = Directory.CreateTempSubdirectory("tessera-concepts-test-").FullName;
        try
        {
            Assert.Null(ConceptsRevocationLatency.Read(folder));
            // The shape RevocationLatency.cs writes (PascalCase, its own extra fields).
            File.WriteAllText(Path.Combine(folder, ConceptsRevocationLatency.FileName), """
                {
                  "Command": "dotnet run -c Release --project bench/Tessera.LoadBench -- --revocation-latency",
                  "Quick": false,
                  "ProcessorCount": 2,
                  "RanAt": "2026-12-06T19:00:00+00:00",
                  "Results": [
                    { "Mode": "pushed list", "Samples": 1000, "MedianMicroseconds": 210.4, "P99Microseconds": 900.2, "MaxMicroseconds": 2000 },
                    { "Mode": "near cache", "Samples": 1000, "MedianMicroseconds": 230, "P99Microseconds": 950, "MaxMicroseconds": 2100 },
                    { "Mode": "polled (EXISTS per check)", "Samples": 1000, "MedianMicroseconds": 60, "P99Microseconds": 120, "MaxMicroseconds": 300 }
                  ]
                }
                """);

            RevocationLatencyMeasured measured = ConceptsRevocationLatency.Read(folder)!;
            string concepts = DocSection.Concepts(Results(withConcepts: true) with { RevocationLatency = measured });

            Assert.Contains("| Revocation seen by another instance | near cache: median 230 µs, p99 950 µs; polled (EXISTS per check): median 60 µs, p99 120 µs² |", concepts, StringComparison.Ordinal);
            Assert.Contains("pushed list: median 210 µs, p99 900 µs", concepts, StringComparison.Ordinal);
            Assert.Contains("² `dotnet run -c Release --project bench/Tessera.LoadBench -- --revocation-latency`", concepts, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(folder, ConceptsRevocationLatency.FileName), "{ not json");
            Assert.Null(ConceptsRevocationLatency.Read(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void StickyImbalanceIsTheBusiestInstanceOverTheMean()
    {
        Assert.Equal(1.5, new StickyResult("p", "", 4, [3000, 1000], [3, 1], 0, 0).MaxOverMean, 9);
        Assert.Equal(1.0, new StickyResult("p", "", 4, [2000, 2000], [4, 4], 4, 0).MaxOverMean, 9);
        Assert.True(double.IsNaN(new StickyResult("p", "", 4, [0, 0], [0, 0], 0, 0).MaxOverMean));
    }

    [Fact]
    public void EveryClientHasItsOwnLoopbackSourceAddress()
    {
        var addresses = Enumerable.Range(0, 2_000).Select(i => ConceptsSticky.SourceAddress(i).ToString()).ToList();

        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.StartsWith("127.10.", a, StringComparison.Ordinal));
        Assert.DoesNotContain(addresses, a => a.EndsWith(".0", StringComparison.Ordinal) || a.EndsWith(".255", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBalancerConfigurationUsesThePolicyAndNamesTheInstance()
    {
        string conf = ConceptsNginx.Configuration("/tmp/x", 8080, [new Uri("http://127.0.0.1:5001"), new Uri("http://127.0.0.1:5002")], "hash $remote_addr consistent;", routeCookie: false);

        Assert.Contains("hash $remote_addr consistent;", conf, StringComparison.Ordinal);
        Assert.Contains("server 127.0.0.1:5001;", conf, StringComparison.Ordinal);
        Assert.Contains("server 127.0.0.1:5002;", conf, StringComparison.Ordinal);
        Assert.Contains("listen 127.0.0.1:8080;", conf, StringComparison.Ordinal);
        Assert.Contains(ConceptsNginx.InstanceHeader + " $upstream_addr", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("tessera_route", conf, StringComparison.Ordinal);
        Assert.Contains("$tessera_route_cookie", ConceptsNginx.Configuration("/tmp/x", 8080, [new Uri("http://127.0.0.1:5001")], "hash $tessera_route consistent;", routeCookie: true), StringComparison.Ordinal);
    }

    internal static LoadBenchResults Results(bool withConcepts)
    {
        string[] names = [ScenarioNames.None, ScenarioNames.SessionMemory, ScenarioNames.SessionSqlite, ScenarioNames.SessionRedis, ScenarioNames.BearerEs256, ScenarioNames.BearerEs256Sid, ScenarioNames.AspNetCookie];
        BalancedRun one = new(1, 10_000, 1000, 100, 3, 2, 0);
        BalancedRun two = new(2, 9_000, 900, 110, 3, 2, 0);
        return MadeUpResults.Empty with
        {
            UsersPerScenario = 100,
            Scenarios = [.. names.Select(name =>
            {
                Scenario scenario = Scenario.All.Single(s => s.Name == name);
                RunSample run = new(1, 1000, 1000, 1, 2, 50, 1, 0, 0);
                return new ScenarioResult(scenario.Number, scenario.Name, scenario.Title, scenario.Credential, 100, [run], 1000, 1, 2, 50, 1, 1 << 20, 0, 0, true, null);
            })],
            SessionMemory = [new SessionMemoryResult("in-memory (InMemorySessionStore)", 1000, 1_000_000, 1000, "m"), new SessionMemoryResult("Redis (RedisSessionStore)", 1000, 1_500_000, 1500, "m")],
            Concepts = withConcepts
                ? new ConceptsResults(
                    [
                        new(ScenarioNames.SessionMemory, 100, 100, 0, true, true),
                        new(ScenarioNames.SessionSqlite, 100, 100, 100, true, true),
                        new(ScenarioNames.SessionRedis, 100, 100, 100, true, true),
                        new(ScenarioNames.BearerEs256, 100, 100, 100, false, false),
                        new(ScenarioNames.BearerEs256Sid, 100, 100, 100, true, true),
                        new(ScenarioNames.AspNetCookie, 100, 100, 100, false, false),
                    ],
                    [new SecondServerResult(ScenarioNames.SessionRedis, one, two, [one, two])],
                    [new StickyResult("round robin", "", 4, [2000, 2000], [4, 4], 4, 0), new StickyResult("client address", "hash $remote_addr consistent;", 4, [3000, 1000], [3, 1], 0, 0)],
                    "both on core 0")
                : null,
        };
    }
}
