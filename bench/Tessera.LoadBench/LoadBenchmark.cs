using System.Reflection;

namespace Tessera.LoadBench;

/// <summary>
/// One harness run: starts a target per scenario, signs users in, checks them, warms up, then runs
/// wrk in rounds (every scenario once per round, interleaved), reading the server's CPU time around
/// each run and its peak memory at the end; then probes revocation and measures memory per session.
/// </summary>
public static class LoadBenchmark
{
    public static async Task<LoadBenchResults> RunAsync(LoadBenchOptions options, string command, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        string wrkVersion = Machine.WrkVersion() ?? throw new InvalidOperationException("wrk is not installed (Debian: apt-get install wrk; ./test.sh installs it)");
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string loadAtStart = Machine.LoadAverage();
        CpuPinning pinning = CpuPinning.Detect(options.Pin);
        var settings = new WrkSettings(options.WrkThreads, options.Connections, options.Duration);
        Scenario[] scenarios = [.. Scenario.All.Where(s => options.Scenarios.Contains(s.Name))];

        string work = Directory.CreateTempSubdirectory("tessera-load-").FullName;
        var targets = new List<(TargetProcess Target, IReadOnlyList<Credential> Credentials)>();
        // #13 capacity: store operations per request, counted around each run (CapacityStoreCounter).
        var counters = new Dictionary<TargetProcess, CapacityStoreCounter>();
        PostgresForBench? postgres = null;
        try
        {
            await using RedisForBench? redis = scenarios.Any(s => s.NeedsRedis) || options.SessionMemoryCount > 0 ? await RedisForBench.StartAsync(pinning.LoadCores, cancellationToken) : null;
            postgres = scenarios.Any(s => s.NeedsPostgres) ? await PostgresForBench.StartAsync(pinning.LoadCores, countStatements: true, cancellationToken) : null;
            foreach (Scenario scenario in scenarios)
            {
                log.WriteLine($"starting {scenario.Name}");
                string? database = scenario.NeedsPostgres ? await postgres!.CreateDatabaseAsync() : null;
                TargetProcess target = await TargetProcess.StartAsync(scenario, pinning.ServerCores, work, redis?.Configuration, scenario.HasSessionStore ? options.BackgroundSessions : 0,
                    database is null ? [] : ["--postgres", database], cancellationToken);
                if (await CapacityStoreCounter.ForAsync(scenario, redis?.Configuration, postgres, database) is { } counter)
                {
                    counters[target] = counter;
                }

                IReadOnlyList<Credential> credentials = [];
                try
                {
                    credentials = await TargetChecks.SignInAsync(target, options.Users, cancellationToken);
                    await TargetChecks.VerifyAsync(target, credentials, cancellationToken);
                }
                finally
                {
                    targets.Add((target, credentials));
                }
            }

            string script = WrkRun.PrepareScript(work);
            var files = targets.ToDictionary(t => t.Target, t => WrkRun.WriteCredentials(work, t.Target.Scenario.Name, t.Credentials));
            if (options.Warmup > TimeSpan.Zero)
            {
                foreach ((TargetProcess target, _) in targets)
                {
                    log.WriteLine($"warming up {target.Scenario.Name}");
                    await WrkRun.RunAsync(script, files[target], target.Address, settings with { Duration = options.Warmup }, pinning.LoadCores, cancellationToken);
                    if (!options.Quick)
                    {
                        await Settling.UntilSteadyAsync(target.Scenario.Name, async () =>
                        {
                            TimeSpan cpuBefore = ProcessStats.CpuTime(target.ProcessId);
                            WrkResult run = await WrkRun.RunAsync(script, files[target], target.Address, settings, pinning.LoadCores, cancellationToken);
                            return run.Requests == 0 ? null : (ProcessStats.CpuTime(target.ProcessId) - cpuBefore).TotalMicroseconds / run.Requests;
                        }, log);
                    }
                }
            }

            var samples = targets.ToDictionary(t => t.Target, _ => new List<RunSample>());
            var storeOperations = targets.ToDictionary(t => t.Target, _ => new List<double>());
            for (int round = 1; round <= options.Rounds; round++)
            {
                foreach ((TargetProcess target, _) in targets)
                {
                    CapacityStoreCounter? counter = counters.GetValueOrDefault(target);
                    long? storeBefore = counter is null ? null : await counter.ReadAsync(cancellationToken);
                    TimeSpan cpuBefore = ProcessStats.CpuTime(target.ProcessId);
                    WrkResult run = await WrkRun.RunAsync(script, files[target], target.Address, settings, pinning.LoadCores, cancellationToken);
                    TimeSpan cpu = ProcessStats.CpuTime(target.ProcessId) - cpuBefore;
                    if (counter is not null)
                    {
                        storeOperations[target].Add(counter.PerRequest(storeBefore!.Value, await counter.ReadAsync(cancellationToken), run.Requests));
                    }

                    RunSample sample = Sample(round, run, cpu);
                    samples[target].Add(sample);
                    log.WriteLine($"round {round}/{options.Rounds} {target.Scenario.Name,-18} {sample.RequestsPerSecond,10:F0} req/s  p50 {sample.LatencyP50Milliseconds:F2} ms  p99 {sample.LatencyP99Milliseconds:F2} ms  cpu {sample.ServerCpuMicrosecondsPerRequest:F1} µs/req  errors {sample.Non2xxOr3xx + sample.SocketErrors}");
                }
            }

            var results = new List<ScenarioResult>();
            foreach ((TargetProcess target, IReadOnlyList<Credential> credentials) in targets)
            {
                long peak = ProcessStats.PeakResidentBytes(target.ProcessId);
                // Still accepted after the load: nothing broke or expired during the runs.
                await TargetChecks.VerifyAsync(target, credentials, cancellationToken);
                bool? refused = await TargetChecks.RefusedAfterRevocationAsync(target, cancellationToken);
                results.Add(Summarize(target.Scenario, credentials, samples[target], peak, refused) with
                {
                    StoreOperationsPerRequest = storeOperations[target].Count == 0 ? null : Median(storeOperations[target]),
                });
            }

            await DisposeAllAsync(targets);
            targets.Clear();
            await DisposeAllAsync(counters, null);
            counters.Clear();

            // #13 issuing: the token endpoints and the cache-miss row, in their own rounds.
            IReadOnlyList<IssuingResult> issuing = await IssuingBenchmark.RunAsync(options, pinning, work, log, cancellationToken);

            IReadOnlyList<SessionMemoryResult> memory = options.SessionMemoryCount > 0
                ? await SessionMemory.MeasureAsync(options.SessionMemoryCount, redis, postgres, log, cancellationToken)
                : [];
            await DisposeAllAsync(counters, postgres);
            postgres = null;

            return new LoadBenchResults
            {
                Command = command,
                Configuration = typeof(LoadBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!,
                Quick = options.Quick,
                StartedAt = startedAt,
                FinishedAt = DateTimeOffset.UtcNow,
                LoadAverageAtStart = loadAtStart,
                LoadAverageAtEnd = Machine.LoadAverage(),
                Cpu = Machine.Cpu(),
                Runtime = Machine.Runtime(),
                Wrk = wrkVersion,
                Pinning = pinning.Describe(),
                Rounds = options.Rounds,
                RunSeconds = options.Duration.TotalSeconds,
                WarmupSeconds = options.Warmup.TotalSeconds,
                Connections = options.Connections,
                WrkThreads = options.WrkThreads,
                UsersPerScenario = options.Users,
                BackgroundSessions = options.BackgroundSessions,
                Scenarios = results,
                SessionMemory = memory,
                Issuing = issuing,
            };
        }
        finally
        {
            await DisposeAllAsync(targets);
            await DisposeAllAsync(counters, postgres);
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task DisposeAllAsync(Dictionary<TargetProcess, CapacityStoreCounter> counters, PostgresForBench? postgres)
    {
        foreach (CapacityStoreCounter counter in counters.Values)
        {
            await counter.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private static RunSample Sample(int round, WrkResult run, TimeSpan cpu) => new(
        round, run.Requests, run.RequestsPerSecond, run.LatencyP50Microseconds / 1000.0, run.LatencyP99Microseconds / 1000.0,
        run.Requests == 0 ? 0 : cpu.TotalMicroseconds / run.Requests, cpu.TotalSeconds / (run.DurationMicroseconds / 1e6),
        run.Non2xxOr3xx, run.SocketErrors);

    private static ScenarioResult Summarize(Scenario scenario, IReadOnlyList<Credential> credentials, List<RunSample> runs, long peak, bool? refused) => new(
        scenario.Number, scenario.Name, scenario.Title, scenario.Credential,
        credentials.Count == 0 ? 0 : (int)Math.Round(credentials.Average(c => c.WireBytes)),
        runs,
        Median(runs.Select(r => r.RequestsPerSecond)), Median(runs.Select(r => r.LatencyP50Milliseconds)), Median(runs.Select(r => r.LatencyP99Milliseconds)),
        Median(runs.Select(r => r.ServerCpuMicrosecondsPerRequest)), Median(runs.Select(r => r.ServerCpuCores)), peak,
        runs.Sum(r => r.Non2xxOr3xx), runs.Sum(r => r.SocketErrors), refused, null);

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task DisposeAllAsync(List<(TargetProcess Target, IReadOnlyList<Credential> Credentials)> targets)
    {
        foreach ((TargetProcess target, _) in targets)
        {
            await target.DisposeAsync();
        }
    }
}
