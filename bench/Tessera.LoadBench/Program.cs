using Tessera.LoadBench;

// The HTTP load benchmark (issue #6). From the repository root:
//   dotnet run -c Release --project bench/Tessera.LoadBench -- [--quick] [--export-doc] [--only a,b] [--rounds N] [--duration S]
//       [--warmup S] [--connections N] [--users N] [--background-sessions N] [--session-memory N] [--no-pin] [--out DIR]
//       [--no-concepts] [--sticky-clients N] [--from-results]
//   dotnet run -c Release --project bench/Tessera.LoadBench -- --profile SCENARIO [--duration S]   dotnet-trace under load
//   dotnet run -c Release --project bench/Tessera.LoadBench -- --revocation-latency [N] [--quick] [--out DIR]   revocation across two instances
// --only also takes the issuing rows (#13: refresh-sqlite, introspection-postgres, …, bearer-es256-miss; ScenarioNames.Issuing).
// Writes results.json and load-chart.svg to --out (default artifacts/load); --export-doc also rewrites
// the generated sections of docs/benchmarks.md and docs/concepts.md and the docs' copies of both files.
// #13: revocation latency across two instances over one Redis (RevocationLatency.cs), a run of its own.
if (args.Contains("--revocation-latency"))
{
    return await RevocationLatency.RunAsync(args, Tessera.Bench.BenchEnvironment.FindRepositoryRoot() ?? ".", Console.Out, CancellationToken.None);
}

string? profile = args.Length >= 2 && args[0] == "--profile" ? args[1] : null;
LoadBenchOptions options;
try
{
    options = LoadBenchOptions.Parse(profile is null ? args : args[2..]);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

string? root = Tessera.Bench.BenchEnvironment.FindRepositoryRoot();
if (root is null)
{
    Console.Error.WriteLine("error: run from inside the repository (Tessera.slnx not found above the current directory)");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (profile is not null)
{
    return await Profiling.RunAsync(profile, options with { Duration = args.Contains("--duration") ? options.Duration : TimeSpan.FromSeconds(20) }, root, Console.Out, cancel.Token);
}

string command = "dotnet run -c Release --project bench/Tessera.LoadBench --" + string.Concat(args.Select(a => " " + a));
string output = options.OutputFolder ?? Path.Combine(root, "artifacts", "load");
LoadBenchResults results;
if (options.FromResults)
{
    // Nothing measured: an earlier run's results (the command that made them stays theirs), e.g. to add the revocation latency beside them.
    results = ResultsFiles.Read(output);
    Console.WriteLine($"read {Path.Combine(output, ResultsFiles.JsonName)} ({results.Command}, {results.StartedAt:yyyy-MM-dd HH:mm} UTC)");
}
else
{
    results = await LoadBenchmark.RunAsync(options, command, Console.Out, cancel.Token);
    if (options.Concepts)
    {
        // Issue #13: restart survival, a second server, sticky sessions, for docs/concepts.md's table.
        results = results with { Concepts = await ConceptsMeasurement.RunAsync(options, Console.Out, cancel.Token), FinishedAt = DateTimeOffset.UtcNow };
        if (!options.Quick)
        {
            // And the revocation latency across two instances, its own run (RevocationLatency.cs) writing beside these results,
            // so that a full run's concepts table has every row measured (a quick run takes the file when one is there).
            string[] latencyArgs = options.OutputFolder is { } folder ? ["--revocation-latency", "1000", "--out", folder] : ["--revocation-latency", "1000"];
            if (await RevocationLatency.RunAsync(latencyArgs, root, Console.Out, cancel.Token) != 0)
            {
                Console.Error.WriteLine("error: the revocation-latency run failed");
                return 1;
            }

            results = results with { FinishedAt = DateTimeOffset.UtcNow };
        }
    }
}

// The revocation latency's file beside these results: taken when there, of the same kind (quick or not).
if (ConceptsRevocationLatency.Read(output) is { } latency && latency.Quick == results.Quick)
{
    results = results with { RevocationLatency = latency };
}

ResultsFiles.Write(results, output);
Console.WriteLine($"wrote {Path.Combine(output, ResultsFiles.JsonName)} and {ResultsFiles.SvgName}");
Console.Write(DocSection.Table(results));
Console.Write(IssuingDocSection.Tables(results));

if (options.ExportDoc)
{
    if (results.Configuration != "Release" || results.Quick)
    {
        Console.Error.WriteLine("error: --export-doc publishes numbers: run a full run (no --quick) with -c Release");
        return 1;
    }

    DocSection.Export(results, root);
    Console.WriteLine("rewrote the generated sections of docs/benchmarks.md and docs/concepts.md");
}

return Failures.Of(results) is { Count: > 0 } failures ? Fail(failures) : 0;

static int Fail(IReadOnlyList<string> failures)
{
    foreach (string failure in failures)
    {
        Console.Error.WriteLine("error: " + failure);
    }

    return 1;
}
