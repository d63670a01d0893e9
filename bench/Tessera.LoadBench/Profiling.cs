using System.Diagnostics;
using System.Globalization;

namespace Tessera.LoadBench;

/// <summary>
/// <c>--profile SCENARIO</c>: runs the scenario under wrk while dotnet-trace (the repository's local
/// tool, <c>dotnet tool restore</c>) samples the server's threads, then prints the methods with the
/// most inclusive samples. The thread-time profile counts waiting threads too: read the rows under
/// <c>ThreadPoolWorkQueue.Dispatch</c>, where requests are processed, against each other.
/// </summary>
public static class Profiling
{
    public static async Task<int> RunAsync(string scenarioName, LoadBenchOptions options, string root, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        Scenario scenario = Scenario.All.SingleOrDefault(s => s.Name == scenarioName)
            ?? throw new ArgumentException($"unknown scenario '{scenarioName}'");
        if (scenario.NeedsRedis)
        {
            throw new ArgumentException("--profile runs the scenarios without Redis only");
        }

        await RunToolAsync(root, ["tool", "restore"], cancellationToken);
        CpuPinning pinning = CpuPinning.Detect(options.Pin);
        string work = Directory.CreateTempSubdirectory("tessera-profile-").FullName;
        string output = options.OutputFolder ?? Path.Combine(root, "artifacts", "load");
        Directory.CreateDirectory(output);
        string trace = Path.Combine(output, scenario.Name + ".nettrace");
        try
        {
            await using TargetProcess target = await TargetProcess.StartAsync(scenario, pinning.ServerCores, work, null, scenario.HasSessionStore ? options.BackgroundSessions : 0, cancellationToken);
            IReadOnlyList<Credential> credentials = await TargetChecks.SignInAsync(target, options.Users, cancellationToken);
            await TargetChecks.VerifyAsync(target, credentials, cancellationToken);
            string script = WrkRun.PrepareScript(work);
            string file = WrkRun.WriteCredentials(work, scenario.Name, credentials);
            var settings = new WrkSettings(options.WrkThreads, options.Connections, options.Warmup);
            log.WriteLine($"warming up {scenario.Name}");
            await WrkRun.RunAsync(script, file, target.Address, settings, pinning.LoadCores, cancellationToken);

            // The load runs a little longer than the trace on both sides, so every sample is under load.
            Task<WrkResult> load = WrkRun.RunAsync(script, file, target.Address, settings with { Duration = options.Duration + TimeSpan.FromSeconds(4) }, pinning.LoadCores, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            string duration = TimeSpan.FromSeconds(options.Duration.TotalSeconds).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
            await RunToolAsync(root, ["tool", "run", "dotnet-trace", "collect", "-p", target.ProcessId.ToString(CultureInfo.InvariantCulture),
                "--profile", "dotnet-sampled-thread-time", "--duration", duration, "-o", trace], cancellationToken);
            WrkResult result = await load;
            log.WriteLine($"{scenario.Name}: {result.RequestsPerSecond:N0} req/s under the trace; trace in {trace}");
            string report = await RunToolAsync(root, ["tool", "run", "dotnet-trace", "report", trace, "topN", "--inclusive", "-n", "120"], cancellationToken);
            log.Write(report);
            log.Write(UnderDispatch(report));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Frames of threads that only wait (timers, the file watcher, the socket engine's epoll loop,
    // Main; "Missing Symbol" is native code, mostly epoll_wait): not request processing, whatever share they show.
    private static readonly string[] IdleMarkers =
    [
        "Wait", "Sys.Read", "TryReadEvent", "Program.<Main>", "GateThread", "Heartbeat.TimerLoop", "SocketAsyncEngine.EventLoop",
        "GetResult()", "HandleNonSuccessAndDebuggerNotification", "Missing Symbol",
    ];

    /// <summary>
    /// The report's rows again, as shares of the samples under <c>ThreadPoolWorkQueue.Dispatch</c>
    /// (the thread pool running work items: request processing), leaving out the idle threads.
    /// </summary>
    public static string UnderDispatch(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<(string Name, double Inclusive, double Exclusive)>();
        foreach (string line in report.Split('\n'))
        {
            System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(line, @"^\s*\d+\.\s+(.+?)\s+([\d.]+)%\s+([\d.]+)%\s*$");
            if (match.Success)
            {
                rows.Add((match.Groups[1].Value, double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)));
            }
        }

        double dispatch = rows.FirstOrDefault(r => r.Name.StartsWith("ThreadPoolWorkQueue.Dispatch", StringComparison.Ordinal)).Inclusive;
        if (dispatch <= 0)
        {
            return "no samples under ThreadPoolWorkQueue.Dispatch: the server did no work while traced\n";
        }

        var text = new System.Text.StringBuilder($"\nShare of the request-processing samples (under ThreadPoolWorkQueue.Dispatch, {dispatch:F2} % of all):\n");
        foreach ((string name, double inclusive, double exclusive) in rows.Where(r => r.Inclusive <= dispatch && r.Inclusive > 0 && !IdleMarkers.Any(m => r.Name.Contains(m, StringComparison.Ordinal))))
        {
            text.Append(CultureInfo.InvariantCulture, $"{inclusive / dispatch * 100,6:F1} % inclusive {exclusive / dispatch * 100,6:F1} % exclusive  {name}\n");
        }

        return text.ToString();
    }

    private static async Task<string> RunToolAsync(string root, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output
            : throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}\n{await errors}");
    }
}
