using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// What a second server costs, measured: two targets of one scenario on the same store (the run's
/// Redis) and the same key ring (one data folder), behind nginx (round robin). The same wrk load
/// goes through nginx to one instance, then to both, interleaved over the rounds; each run reads
/// the instances' CPU time and Redis's command counter and CPU time around it.
/// </summary>
public static class ConceptsSecondServer
{
    /// <summary>The scenarios measured: sessions in Redis, bearer tokens needing only the keys, bearer plus the sid check in Redis.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = [ScenarioNames.SessionRedis, ScenarioNames.BearerEs256, ScenarioNames.BearerEs256Sid];

    /// <summary>
    /// Where the instances run. With four or more cores each instance gets a core of its own and
    /// the load (wrk, nginx, Redis, the harness) the rest; with fewer (the two-core machine) both
    /// instances share the server core, so two instances can only show their overhead, not added
    /// capacity.
    /// </summary>
    public static (string? First, string? Second, string? Load, string Description) Placement(CpuPinning pinning)
    {
        ArgumentNullException.ThrowIfNull(pinning);
        if (pinning.ServerCores is null)
        {
            return (null, null, null, "nothing pinned: the instances, nginx, wrk and Redis share every core");
        }

        if (Environment.ProcessorCount >= 4)
        {
            string load = $"2-{Environment.ProcessorCount - 1}";
            return ("0", "1", load, $"one instance on core 0, the second on core 1; nginx, wrk and Redis on cores {load} (taskset)");
        }

        return (pinning.ServerCores, pinning.ServerCores, pinning.LoadCores,
            $"{Environment.ProcessorCount} cores: both instances share core {pinning.ServerCores}, nginx, wrk and Redis run on core {pinning.LoadCores} (taskset), so the second instance adds no CPU: the ratio shows what splitting the same core costs, not what a second machine adds");
    }

    /// <summary>Two running instances of one scenario, the credentials signed in at the first.</summary>
    public sealed class Pair : IAsyncDisposable
    {
        private Pair(TargetProcess first, TargetProcess second, IReadOnlyList<Credential> credentials)
        {
            First = first;
            Second = second;
            Credentials = credentials;
        }

        public TargetProcess First { get; }

        public TargetProcess Second { get; }

        public IReadOnlyList<Credential> Credentials { get; }

        /// <summary>
        /// Starts the first instance, signs <paramref name="users"/> in there, starts the second on
        /// the same folder and Redis, and checks that every credential is accepted by both.
        /// </summary>
        public static async Task<Pair> StartAsync(Scenario scenario, int users, (string? First, string? Second) cores, string workFolder, string? redis, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            string data = Path.Combine(workFolder, "pair-" + scenario.Name);
            TargetProcess first = await TargetProcess.StartAsync(scenario, cores.First, workFolder, redis, 0, ["--data", data], cancellationToken);
            TargetProcess? second = null;
            try
            {
                IReadOnlyList<Credential> credentials = await TargetChecks.SignInAsync(first, users, cancellationToken);
                second = await TargetProcess.StartAsync(scenario, cores.Second, workFolder, redis, 0, ["--data", data], cancellationToken);
                foreach (TargetProcess target in (TargetProcess[])[first, second])
                {
                    int accepted = await ConceptsProbe.AcceptedAsync(target.Client, credentials, cancellationToken);
                    if (accepted != credentials.Count)
                    {
                        throw new InvalidOperationException($"{scenario.Name}: only {accepted} of {credentials.Count} credentials accepted by instance {target.Address}");
                    }
                }

                return new Pair(first, second, credentials);
            }
            catch
            {
                await first.DisposeAsync();
                if (second is not null)
                {
                    await second.DisposeAsync();
                }

                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await First.DisposeAsync();
            await Second.DisposeAsync();
        }
    }

    public static async Task<SecondServerResult> MeasureAsync(
        Pair pair, LoadBenchOptions options, string? loadCores, string workFolder, RedisCounters? redis, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        string name = pair.First.Scenario.Name;
        string script = WrkRun.PrepareScript(workFolder);
        string credentials = WrkRun.WriteCredentials(workFolder, "pair-" + name, pair.Credentials);
        var settings = new WrkSettings(options.WrkThreads, options.Connections, options.Duration);
        await using ConceptsNginx one = await ConceptsNginx.StartAsync(workFolder, [pair.First.Address], "", routeCookie: false, loadCores, cancellationToken);
        await using ConceptsNginx two = await ConceptsNginx.StartAsync(workFolder, [pair.First.Address, pair.Second.Address], "", routeCookie: false, loadCores, cancellationToken);
        if (options.Warmup > TimeSpan.Zero)
        {
            log.WriteLine($"second server: warming up {name}");
            // Through the two-instance balancer: both instances warm (JIT, caches, connections).
            await WrkRun.RunAsync(script, credentials, two.Address, settings with { Duration = options.Warmup }, loadCores, cancellationToken);
        }

        var runs = new List<BalancedRun>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach ((ConceptsNginx balancer, TargetProcess[] instances) in (ValueTuple<ConceptsNginx, TargetProcess[]>[])[(one, [pair.First]), (two, [pair.First, pair.Second])])
            {
                BalancedRun run = await RunAsync(balancer, instances, script, credentials, settings, loadCores, redis, cancellationToken);
                runs.Add(run);
                log.WriteLine($"second server: round {round}/{options.Rounds} {name} x{run.Instances}: {run.RequestsPerSecond:F0} req/s, cpu {run.ServerCpuMicrosecondsPerRequest:F1} µs/req, {run.StoreCommandsPerRequest:F2} store commands/req, errors {run.Errors}");
            }
        }

        return new SecondServerResult(name, Median(runs.Where(r => r.Instances == 1).ToList()), Median(runs.Where(r => r.Instances == 2).ToList()), runs);
    }

    private static async Task<BalancedRun> RunAsync(
        ConceptsNginx balancer, TargetProcess[] instances, string script, string credentials, WrkSettings settings, string? loadCores, RedisCounters? redis, CancellationToken cancellationToken)
    {
        TimeSpan[] cpuBefore = [.. instances.Select(i => ProcessStats.CpuTime(i.ProcessId))];
        (long Commands, TimeSpan Cpu)? storeBefore = redis is null ? null : await redis.ReadAsync();
        WrkResult run = await WrkRun.RunAsync(script, credentials, balancer.Address, settings, loadCores, cancellationToken);
        (long Commands, TimeSpan Cpu)? storeAfter = redis is null ? null : await redis.ReadAsync();
        TimeSpan cpu = instances.Select((i, n) => ProcessStats.CpuTime(i.ProcessId) - cpuBefore[n]).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        long requests = Math.Max(1, run.Requests);
        // The second INFO read is one command of its own, not the load's.
        long commands = storeBefore is null ? 0 : Math.Max(0, storeAfter!.Value.Commands - storeBefore.Value.Commands - 1);
        double? storeCpu = storeBefore is null || commands == 0 ? null : (storeAfter!.Value.Cpu - storeBefore.Value.Cpu).TotalMicroseconds / commands;
        return new BalancedRun(instances.Length, run.Requests, run.RequestsPerSecond, cpu.TotalMicroseconds / requests,
            commands / (double)requests, storeCpu, run.Non2xxOr3xx + run.SocketErrors);
    }

    private static BalancedRun Median(List<BalancedRun> runs) => new(
        runs[0].Instances,
        (long)LoadBenchmark.Median(runs.Select(r => (double)r.Requests)),
        LoadBenchmark.Median(runs.Select(r => r.RequestsPerSecond)),
        LoadBenchmark.Median(runs.Select(r => r.ServerCpuMicrosecondsPerRequest)),
        LoadBenchmark.Median(runs.Select(r => r.StoreCommandsPerRequest)),
        runs.All(r => r.StoreCpuMicrosecondsPerCommand is null) ? null : LoadBenchmark.Median(runs.Where(r => r.StoreCpuMicrosecondsPerCommand is not null).Select(r => r.StoreCpuMicrosecondsPerCommand!.Value)),
        runs.Sum(r => r.Errors));
}
