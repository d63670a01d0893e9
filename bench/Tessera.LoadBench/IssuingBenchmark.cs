using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// The issuing side (#13), after the request-path rounds: one target per scenario (Tessera's real
/// token endpoints on SQLite, or on a PostgreSQL the harness starts), a fresh feed fetched from the
/// target before every run (new refresh-token chains, unique tokens), wrk with issuing.lua, the
/// server's CPU read around each run, then the checks: a chain's first token refused, and for
/// password sign-in the bare Argon2id rate of the same process, for the ES256 cache-miss row the bare
/// ECDsa verification cost of the same process. Rounds interleave the scenarios.
/// </summary>
public static class IssuingBenchmark
{
    // Password sign-in waits for the hasher (one hash at a time per core): more connections only queue.
    private const int PasswordConnections = 8;

    // Before any measurement: a guess of the fastest once-fed rate, so the first feed is big enough
    // (a short one only costs a repeated run).
    private const double FirstGuessPerSecond = 3_000;

    // Feeds of a hundred thousand tokens take a while to issue into a store on one core.
    private static readonly TimeSpan FeedTimeout = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<IssuingResult>> RunAsync(LoadBenchOptions options, CpuPinning pinning, string work, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pinning);
        ArgumentNullException.ThrowIfNull(log);
        IssuingScenario[] scenarios = [.. IssuingScenario.All.Where(s => options.Scenarios.Contains(s.Name))];
        if (scenarios.Length == 0)
        {
            return [];
        }

        await using PostgresForBench? postgres = scenarios.Any(s => s.OnPostgres) ? await PostgresForBench.StartAsync(pinning.LoadCores, cancellationToken) : null;
        string script = WrkRun.PrepareScript(work, "issuing.lua");
        var targets = new List<(IssuingScenario Scenario, TargetProcess Target)>();
        try
        {
            foreach (IssuingScenario scenario in scenarios)
            {
                log.WriteLine($"starting {scenario.Name}");
                List<string> extra = [];
                if (scenario.OnSqlite)
                {
                    extra.AddRange(["--data", Path.Combine(work, scenario.Name)]);
                }

                if (scenario.OnPostgres)
                {
                    extra.AddRange(["--postgres", await postgres!.CreateDatabaseAsync(scenarios.Count(s => s.OnPostgres))]);
                }

                var row = new Scenario(0, scenario.Name, scenario.Title, "issuing");
                targets.Add((scenario, await TargetProcess.StartAsync(row, pinning.ServerCores, work, null, 0, extra, cancellationToken)));
            }

            var rates = targets.ToDictionary(t => t.Scenario.Name, _ => FirstGuessPerSecond);
            if (options.Warmup > TimeSpan.Zero)
            {
                foreach ((IssuingScenario scenario, TargetProcess target) in targets)
                {
                    log.WriteLine($"warming up {scenario.Name}");
                    IssuingRun warm = await RunOnceAsync(scenario, target, options, options.Warmup, rates[scenario.Name], script, pinning, work, measureHashes: false, cancellationToken);
                    rates[scenario.Name] = Math.Max(warm.Sample.RequestsPerSecond, 1);
                    if (!options.Quick)
                    {
                        await SettleAsync(scenario, target, options, rates, script, pinning, work, log, cancellationToken);
                    }
                }
            }

            var runs = targets.ToDictionary(t => t.Scenario.Name, _ => new List<IssuingRun>());
            for (int round = 1; round <= options.Rounds; round++)
            {
                foreach ((IssuingScenario scenario, TargetProcess target) in targets)
                {
                    IssuingRun run = await RunOnceAsync(scenario, target, options, options.Duration, rates[scenario.Name], script, pinning, work, measureHashes: true, cancellationToken);
                    if (run.Exhausted > 0)
                    {
                        // The guess was short: once more with a feed sized from this run's rate.
                        log.WriteLine($"round {round}/{options.Rounds} {scenario.Name}: the feed ran out; again with a larger one");
                        run = await RunOnceAsync(scenario, target, options, options.Duration, run.Sample.RequestsPerSecond * 2, script, pinning, work, measureHashes: true, cancellationToken);
                    }

                    rates[scenario.Name] = Math.Max(rates[scenario.Name], run.Sample.RequestsPerSecond);
                    run = run with { Sample = run.Sample with { Round = round } };
                    runs[scenario.Name].Add(run);
                    string hashes = run.HashesPerCoreSecond is { } h ? $"  Argon2id {h:F1} hashes/s per core" : "";
                    hashes += run.BareVerifyMicroseconds is { } v ? $"  bare ES256 verify {v:F1} µs" : "";
                    log.WriteLine($"round {round}/{options.Rounds} {scenario.Name,-28} {run.Sample.RequestsPerSecond,9:F0} req/s  {run.RequestsPerCoreSecond,9:F0} per core  cpu {run.Sample.ServerCpuMicrosecondsPerRequest:F1} µs/req  errors {run.Sample.Non2xxOr3xx + run.Sample.SocketErrors}{Failed(run)}{hashes}");
                    if (run.Sample.Non2xxOr3xx > 0)
                    {
                        // The server's own account of the failures (its log: warnings and errors).
                        log.WriteLine(string.Join('\n', target.Output.Split('\n').TakeLast(30)));
                    }
                }
            }

            return [.. targets.Select(t => Summarize(t.Scenario, Connections(t.Scenario, options), runs[t.Scenario.Name], ProcessStats.PeakResidentBytes(t.Target.ProcessId)))];
        }
        finally
        {
            foreach ((_, TargetProcess target) in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Runs as a round does (its loops in the target included, so their code is compiled too) until
    /// settled (see <see cref="Settling"/>); a run whose feed ran dry does not count.
    /// </summary>
    private static Task SettleAsync(
        IssuingScenario scenario, TargetProcess target, LoadBenchOptions options, Dictionary<string, double> rates,
        string script, CpuPinning pinning, string work, TextWriter log, CancellationToken cancellationToken) =>
        Settling.UntilSteadyAsync(scenario.Name, async () =>
        {
            IssuingRun settling = await RunOnceAsync(scenario, target, options, options.Duration, rates[scenario.Name], script, pinning, work, measureHashes: true, cancellationToken);
            rates[scenario.Name] = Math.Max(rates[scenario.Name], settling.Sample.RequestsPerSecond);
            return settling.Exhausted == 0 ? settling.Sample.ServerCpuMicrosecondsPerRequest : null;
        }, log);

    private static string Failed(IssuingRun run) => run.Sample.Non2xxOr3xx > 0 ? $" ({IssuingRun.Describe([run])})" : "";

    private static int Connections(IssuingScenario scenario, LoadBenchOptions options) =>
        scenario.IsPasswordSignIn ? Math.Min(options.Connections, PasswordConnections) : options.Connections;

    private static async Task<IssuingRun> RunOnceAsync(
        IssuingScenario scenario, TargetProcess target, LoadBenchOptions options, TimeSpan duration, double expectedPerSecond,
        string script, CpuPinning pinning, string work, bool measureHashes, CancellationToken cancellationToken)
    {
        int connections = Connections(scenario, options);
        int count = scenario.Mode switch
        {
            // One chain per connection.
            IssuingFeedMode.Chain => connections,
            // Enough unique tokens for the run at the fastest rate seen so far, with room to spare.
            IssuingFeedMode.Once => (int)Math.Min(4_000_000, Math.Ceiling(expectedPerSecond * Math.Ceiling(duration.TotalSeconds) * 1.5) + 1_000),
            _ => scenario.IsPasswordSignIn ? 16 : options.Quick ? 200 : 1_000,
        };
        string[] lines = await FeedAsync(target, count, cancellationToken);
        string file = Path.Combine(work, scenario.Name + ".feed");
        await File.WriteAllLinesAsync(file, lines, cancellationToken);

        var settings = new WrkSettings(options.WrkThreads, connections, duration);
        string mode = scenario.Mode.ToString().ToLowerInvariant();
        TimeSpan cpuBefore = ProcessStats.CpuTime(target.ProcessId);
        string line = await WrkRun.RunForLineAsync(script,
            [mode, scenario.Method, scenario.Path, file, scenario.ContentType ?? "-", scenario.Authorization ?? "-", options.WrkThreads.ToString(CultureInfo.InvariantCulture)],
            target.Address, settings, pinning.LoadCores, cancellationToken);
        TimeSpan cpu = ProcessStats.CpuTime(target.ProcessId) - cpuBefore;
        WrkResult result = JsonSerializer.Deserialize<WrkResult>(line, Json)!;
        IssuingCounters counters = JsonSerializer.Deserialize<IssuingCounters>(line, Json)!;

        bool? oldRefused = scenario.IsRefresh ? await RefreshRefusedAsync(target, lines[0], cancellationToken) : null;
        double? hashes = measureHashes && scenario.IsPasswordSignIn ? await HashesPerCoreSecondAsync(target, duration, cancellationToken) : null;
        double? bareVerify = measureHashes && scenario.IsCacheMiss ? await BareVerifyMicrosecondsAsync(target, duration, cancellationToken) : null;
        RunSample sample = new(0, result.Requests, result.RequestsPerSecond, result.LatencyP50Microseconds / 1000.0, result.LatencyP99Microseconds / 1000.0,
            result.Requests == 0 ? 0 : cpu.TotalMicroseconds / result.Requests, cpu.TotalSeconds / (result.DurationMicroseconds / 1e6),
            result.Non2xxOr3xx, result.SocketErrors);
        return new IssuingRun(sample, cpu <= TimeSpan.Zero ? 0 : result.Requests / cpu.TotalSeconds, lines.Length,
            counters.Rotated, counters.Exhausted, counters.Lost, counters.Starved, counters.Repeated, oldRefused, hashes, bareVerify, counters.Statuses);
    }

    /// <summary>Fresh lines from the target (<see cref="IssuingBench.FeedPath"/>): issued through Tessera's services on the scenario's store.</summary>
    private static async Task<string[]> FeedAsync(TargetProcess target, int count, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = target.Address, Timeout = FeedTimeout };
        using HttpResponseMessage response = await client.PostAsync(new Uri($"{IssuingBench.FeedPath}?count={count.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), null, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target.Scenario.Name}: the feed answered {(int)response.StatusCode}: {body}\n{target.Output}");
        }

        string[] lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 0 ? lines : throw new InvalidOperationException($"{target.Scenario.Name}: the feed was empty");
    }

    /// <summary>
    /// True when the first token of a chain is refused now: every chain rotated at least twice
    /// under load, so that token is an older generation (reuse: refused whatever the grace window,
    /// and its session revoked; the next run gets fresh chains).
    /// </summary>
    private static async Task<bool> RefreshRefusedAsync(TargetProcess target, string firstToken, CancellationToken cancellationToken)
    {
        using var content = new StringContent($$"""{"refresh_token":"{{firstToken}}"}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await target.Client.PostAsync(new Uri("/auth/token/refresh", UriKind.Relative), content, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => false,
            HttpStatusCode.Unauthorized => true,
            _ => throw new InvalidOperationException($"{target.Scenario.Name}: an old refresh token got {(int)response.StatusCode}"),
        };
    }

    /// <summary>The target's hasher in a loop (<see cref="IssuingBench.HashPath"/>): hashes per second of its CPU time.</summary>
    private static async Task<double> HashesPerCoreSecondAsync(TargetProcess target, TimeSpan runDuration, CancellationToken cancellationToken)
    {
        (long hashes, TimeSpan cpu) = await LoopInTargetAsync(target, IssuingBench.HashPath, runDuration, cancellationToken);
        return cpu <= TimeSpan.Zero ? 0 : hashes / cpu.TotalSeconds;
    }

    /// <summary>
    /// The target's bare ECDsa verification in a loop (<see cref="IssuingBench.VerifyPath"/>): its CPU
    /// per verification. In the target, not here: the row's CPU per request is the target's, so its
    /// floor is taken with the same OpenSSL and runtime, on the same pinned cores, under the same
    /// load, with the same clock (the process's CPU time).
    /// </summary>
    private static async Task<double> BareVerifyMicrosecondsAsync(TargetProcess target, TimeSpan runDuration, CancellationToken cancellationToken)
    {
        (long verifications, TimeSpan cpu) = await LoopInTargetAsync(target, IssuingBench.VerifyPath, runDuration, cancellationToken);
        return verifications <= 0 ? double.NaN : cpu.TotalMicroseconds / verifications;
    }

    /// <summary>One of the target's bench loops (<c>POST path?milliseconds=M</c>, up to 3 s): how many it did, and the target's CPU time around it.</summary>
    private static async Task<(long Count, TimeSpan Cpu)> LoopInTargetAsync(TargetProcess target, string path, TimeSpan runDuration, CancellationToken cancellationToken)
    {
        int milliseconds = (int)Math.Min(runDuration.TotalMilliseconds, 3_000);
        TimeSpan before = ProcessStats.CpuTime(target.ProcessId);
        using HttpResponseMessage response = await target.Client.PostAsync(new Uri($"{path}?milliseconds={milliseconds.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        long count = long.Parse(await response.Content.ReadAsStringAsync(cancellationToken), CultureInfo.InvariantCulture);
        return (count, ProcessStats.CpuTime(target.ProcessId) - before);
    }

    private static IssuingResult Summarize(IssuingScenario scenario, int connections, List<IssuingRun> runs, long peak)
    {
        double Median(Func<IssuingRun, double> value) => LoadBenchmark.Median(runs.Select(value));
        double? hashes = runs.Any(r => r.HashesPerCoreSecond is not null) ? LoadBenchmark.Median(runs.Select(r => r.HashesPerCoreSecond).OfType<double>()) : null;
        double? bareVerify = runs.Any(r => r.BareVerifyMicroseconds is not null) ? LoadBenchmark.Median(runs.Select(r => r.BareVerifyMicroseconds).OfType<double>()) : null;
        return new IssuingResult(scenario.Name, scenario.Title, scenario.Operation, scenario.Store, connections, runs,
            Median(r => r.Sample.RequestsPerSecond), Median(r => r.Sample.LatencyP50Milliseconds), Median(r => r.Sample.LatencyP99Milliseconds),
            Median(r => r.Sample.ServerCpuMicrosecondsPerRequest), Median(r => r.Sample.ServerCpuCores), Median(r => r.RequestsPerCoreSecond), hashes, peak, bareVerify);
    }

    private sealed record IssuingCounters(long Rotated, long Exhausted, long Lost, long Starved, long Repeated, Dictionary<string, long>? Statuses);
}
