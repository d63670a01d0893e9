using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>The goals and tables are computed from the results, never typed: checked on made-up results.</summary>
public class ReportTests
{
    [Fact]
    public void GoalsCompareTheMediansWithIssueSixThresholds()
    {
        LoadBenchResults results = Results(
            (ScenarioNames.None, 10_000), (ScenarioNames.SessionMemory, 9_500), (ScenarioNames.BearerEs256, 2_600),
            (ScenarioNames.AspNetJwtBearer, 2_000), (ScenarioNames.AspNetCookie, 9_600));

        IReadOnlyList<Goals.Goal> goals = Goals.Evaluate(results);

        Assert.True(goals.Single(g => g.Text.StartsWith("2.", StringComparison.Ordinal)).Met); // 95 % of the ceiling
        Assert.False(goals.Single(g => g.Text.StartsWith("6.", StringComparison.Ordinal)).Met); // 26 %
        Assert.Null(goals.Single(g => g.Text.StartsWith("5.", StringComparison.Ordinal)).Met); // not run
        Assert.True(goals.Single(g => g.Text.Contains("1.3×", StringComparison.Ordinal)).Met); // 2600 / 2000 = 1.30
        Assert.False(goals.Single(g => g.Text.Contains("cookie authentication", StringComparison.Ordinal)).Met); // 9500 < 9600
    }

    [Fact]
    public void IssueThirteensGoalsComparePushedRowsWithTheCeilingAndEs256WithAddJwtBearer()
    {
        LoadBenchResults results = Results(
            (ScenarioNames.None, 10_000), (ScenarioNames.SessionRedisNearCache, 7_100), (ScenarioNames.BearerEs256SidPushed, 7_900),
            (ScenarioNames.BearerEs256, 4_000), (ScenarioNames.AspNetJwtBearer, 2_100));

        IReadOnlyList<Goals.Goal> goals = Goals.Evaluate(results);

        Assert.True(goals.Single(g => g.Text.StartsWith("12.", StringComparison.Ordinal)).Met); // 71 % ≥ 70 %
        Assert.False(goals.Single(g => g.Text.StartsWith("13.", StringComparison.Ordinal)).Met); // 79 % < 80 %
        Assert.Null(goals.Single(g => g.Text.StartsWith("4.", StringComparison.Ordinal)).Met); // not run
        Assert.False(goals.Single(g => g.Text.Contains("2× ASP.NET Core", StringComparison.Ordinal)).Met); // 4000 / 2100 = 1.90
    }

    [Fact]
    public void TheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, LoadBenchmark.Median([4, 1, 3, 2]));
        Assert.Equal(3, LoadBenchmark.Median([5, 3, 1]));
    }

    [Fact]
    public void TheGeneratedSectionsCarryTheirMarkersAndEveryRow()
    {
        LoadBenchResults results = Results((ScenarioNames.None, 10_000), (ScenarioNames.SessionMemory, 9_000));

        string benchmarks = DocSection.Benchmarks(results);

        Assert.StartsWith(DocSection.BenchmarksBegin, benchmarks, StringComparison.Ordinal);
        Assert.EndsWith(DocSection.BenchmarksEnd, benchmarks, StringComparison.Ordinal);
        Assert.Contains("| 2 | Tessera session cookie, in-memory store |", benchmarks, StringComparison.Ordinal);
        Assert.Contains("90 %", benchmarks, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN GENERATED", benchmarks, StringComparison.Ordinal); // the JOSE section's marker stays unique
    }

    private static LoadBenchResults Results(params (string Name, double RequestsPerSecond)[] rows) => MadeUpResults.Empty with
    {
        Scenarios = [.. rows.Select(r =>
        {
            Scenario scenario = Scenario.All.Single(s => s.Name == r.Name);
            RunSample run = new(1, 1000, r.RequestsPerSecond, 1, 2, 50, 1, 0, 0);
            return new ScenarioResult(scenario.Number, scenario.Name, scenario.Title, scenario.Credential, 100, [run],
                r.RequestsPerSecond, 1, 2, 50, 1, 1 << 20, 0, 0, true, null);
        })],
        SessionMemory = [],
    };
}
