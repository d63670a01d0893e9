namespace Tessera.LoadBench;

/// <summary>What makes a run unusable (the smoke test asserts there is none): nothing about speed.</summary>
public static class Failures
{
    public static IReadOnlyList<string> Of(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failures = new List<string>();
        // Issue #13's concepts measurements: a refused or failed request there is a broken run too.
        foreach (SecondServerResult pair in results.Concepts?.SecondServer ?? [])
        {
            if (pair.Runs.Any(r => r.Requests == 0 || r.Errors > 0))
            {
                failures.Add($"second server, {pair.Scenario}: a run completed no request or had errors");
            }
        }

        foreach (StickyResult sticky in results.Concepts?.Sticky ?? [])
        {
            if (sticky.Errors > 0 || sticky.RequestsPerInstance.Sum() == 0)
            {
                failures.Add($"sticky sessions, {sticky.Policy}: {sticky.Errors} failed requests");
            }
        }

        foreach (ScenarioResult scenario in results.Scenarios)
        {
            if (scenario.Runs.Count == 0 || scenario.Runs.Any(r => r.Requests == 0))
            {
                failures.Add($"{scenario.Name}: a run completed no request");
            }

            if (scenario.Non2xxOr3xx > 0)
            {
                failures.Add($"{scenario.Name}: {scenario.Non2xxOr3xx} responses were not 2xx/3xx");
            }

            if (scenario.SocketErrors > 0)
            {
                failures.Add($"{scenario.Name}: {scenario.SocketErrors} connect/read/write errors or timeouts");
            }
        }

        // #13 issuing: the same, plus chains that did not rotate and feeds that ran out.
        failures.AddRange(results.Issuing.SelectMany(i => i.Problems()));
        return failures;
    }
}
