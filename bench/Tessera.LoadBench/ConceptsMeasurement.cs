using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// The measured rows of docs/concepts.md's table (issue #13), run after the load table (Program):
/// restart survival, the cost of a second server, sticky-session imbalance. Only the scenarios the
/// run selected (<c>--only</c>) are measured; <c>--no-concepts</c> skips all of it.
/// </summary>
public static class ConceptsMeasurement
{
    public static async Task<ConceptsResults> RunAsync(LoadBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        CpuPinning pinning = CpuPinning.Detect(options.Pin);
        (string? first, string? second, string? load, string placement) = ConceptsSecondServer.Placement(pinning);
        Scenario[] selected = [.. Scenario.All.Where(s => options.Scenarios.Contains(s.Name))];
        Scenario[] restart = [.. selected.Where(s => ConceptsRestart.Scenarios.Contains(s.Name))];
        Scenario[] pairs = ConceptsNginx.Installed ? [.. selected.Where(s => ConceptsSecondServer.Scenarios.Contains(s.Name))] : [];
        if (!ConceptsNginx.Installed)
        {
            log.WriteLine("second server and sticky sessions: not measured (nginx is not installed)");
        }

        string work = Directory.CreateTempSubdirectory("tessera-concepts-").FullName;
        try
        {
            bool needsRedis = restart.Any(s => s.NeedsRedis) || pairs.Length > 0;
            await using RedisForBench? redis = needsRedis ? await RedisForBench.StartAsync(load, cancellationToken) : null;
            await using RedisCounters? counters = redis is null ? null : await RedisCounters.ConnectAsync(redis.Configuration);

            var survival = new List<RestartSurvival>();
            foreach (Scenario scenario in restart)
            {
                survival.Add(await ConceptsRestart.MeasureAsync(scenario, options.Users, pinning.ServerCores, work, redis?.Configuration, log, cancellationToken));
            }

            var secondServer = new List<SecondServerResult>();
            IReadOnlyList<StickyResult> sticky = [];
            foreach (Scenario scenario in pairs)
            {
                log.WriteLine($"second server: starting two {scenario.Name} instances");
                await using ConceptsSecondServer.Pair pair = await ConceptsSecondServer.Pair.StartAsync(scenario, options.Users, (first, second), work, redis?.Configuration, cancellationToken);
                secondServer.Add(await ConceptsSecondServer.MeasureAsync(pair, options, load, work, counters, log, cancellationToken));
                if (scenario.Name == ScenarioNames.SessionRedis)
                {
                    // Sticky sessions matter most for sessions; the shared store lets every policy answer 200.
                    sticky = await ConceptsSticky.MeasureAsync(pair, options.StickyClients, options.Duration, load, work, log, cancellationToken);
                }
            }

            return new ConceptsResults(survival, secondServer, sticky, placement);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
