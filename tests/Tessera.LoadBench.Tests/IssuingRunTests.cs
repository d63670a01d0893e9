using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>
/// The issuing-side scenarios (#13) in a quick run: real token endpoints on SQLite and on a
/// PostgreSQL the harness starts. Asserts correctness only (every answer 2xx, every refresh one
/// rotation whose predecessor is refused afterwards, no unique token sent twice), never timing.
/// Needs wrk and PostgreSQL (./test.sh installs them).
/// </summary>
public class IssuingRunTests
{
    [Fact]
    public async Task EveryIssuingScenarioAnswersOnly2xxAndEveryRefreshIsARotation()
    {
        LoadBenchOptions options = LoadBenchOptions.QuickRun with
        {
            Scenarios = ScenarioNames.Issuing,
            SessionMemoryCount = 0,
            Warmup = TimeSpan.FromSeconds(1),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));

        LoadBenchResults results = await LoadBenchmark.RunAsync(options, "test", TextWriter.Null, timeout.Token);

        Assert.Empty(results.Scenarios);
        Assert.Equal(ScenarioNames.Issuing.Order(), results.Issuing.Select(i => i.Name).Order());
        Assert.Empty(Failures.Of(results));
        Assert.All(results.Issuing, i => Assert.True(i.Runs.Single().Sample.Requests > 0, i.Name));
        foreach (IssuingResult refresh in results.Issuing.Where(i => i.Name is ScenarioNames.RefreshSqlite or ScenarioNames.RefreshPostgres))
        {
            IssuingRun run = refresh.Runs.Single();
            Assert.True(run.OldTokenRefused, refresh.Name);
            Assert.Equal(run.Sample.Requests, run.Rotated);
            Assert.Equal(0, run.Repeated);
        }

        Assert.All(results.Issuing, i => Assert.Equal(0, i.Runs.Single().Exhausted));
        Assert.All(results.Issuing.Where(i => i.Name is ScenarioNames.PasswordSignInSqlite or ScenarioNames.PasswordSignInPostgres),
            i => Assert.True(i.HashesPerCore > 0, i.Name));
        Assert.True(results.Issuing.Single(i => i.Name == ScenarioNames.BearerEs256Miss).BareVerifyMicroseconds > 0);
        string section = IssuingDocSection.Render(results);
        Assert.All(results.Issuing.Where(i => i.Name != ScenarioNames.BearerEs256Miss), i => Assert.Contains($"| {i.Operation} | {i.Store} |", section, StringComparison.Ordinal));
        Assert.Contains("cache miss on every request", section, StringComparison.Ordinal);
    }
}
