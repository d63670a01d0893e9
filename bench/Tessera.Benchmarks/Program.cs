using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// Usage (from the repository root):
//   dotnet run -c Release --project bench/Tessera.Benchmarks -- --verify            run every benchmark once and check it
//   dotnet run -c Release --project bench/Tessera.Benchmarks -- [BenchmarkDotNet args]
//   dotnet run -c Release --project bench/Tessera.Benchmarks -- --probe [Class] [rounds]  quick interleaved min/median timings
//   dotnet run -c Release --project bench/Tessera.Benchmarks -- --export-doc [BenchmarkDotNet args]
//       runs the benchmarks, then rewrites the generated section of docs/benchmarks.md from the results.
if (args.Contains("--verify"))
{
    IReadOnlyList<Verification.Outcome> outcomes = Verification.Run(Console.Out);
    int failed = outcomes.Count(o => !o.Passed);
    Console.WriteLine($"{outcomes.Count - failed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

if (args.Length > 0 && args[0] == "--probe")
{
    return Probe.Run(args[1..], Console.Out);
}

bool exportDoc = args.Contains("--export-doc");
string[] benchmarkArgs = args.Where(a => a != "--export-doc").ToArray();
string loadAtStart = DocExport.LoadAverage();
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs).ToList();
if (exportDoc)
{
    return DocExport.Write(summaries, args, loadAtStart);
}

return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
