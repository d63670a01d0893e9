namespace Tessera.Benchmarks.Tests;

/// <summary>
/// Keeps the benchmark harness honest in CI: every benchmark's setup checks pass (each contender
/// accepts the common token and refuses the bad ones) and every benchmark method, run once,
/// returns what it must. Correctness only; nothing here measures speed.
/// </summary>
public class HarnessTests
{
    public static TheoryData<string> BenchmarkClasses()
    {
        var data = new TheoryData<string>();
        foreach (Type type in Verification.BenchmarkTypes())
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public void EveryBenchmarkRunsOnceAndReturnsTheRightResult(string benchmarkClass)
    {
        Type type = Verification.BenchmarkTypes().Single(t => t.Name == benchmarkClass);
        IReadOnlyList<Verification.Outcome> outcomes = Verification.Run(type);

        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, outcome => Assert.True(outcome.Passed, $"{outcome.Benchmark}: {outcome.Failure}"));
    }

    [Fact]
    public void TheComparisonBenchmarksAreFound()
    {
        string[] names = Verification.BenchmarkTypes().Select(t => t.Name).ToArray();

        Assert.Contains(nameof(ValidateBenchmarks), names);
        Assert.Contains(nameof(SignBenchmarks), names);
    }
}
