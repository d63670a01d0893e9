using BenchmarkDotNet.Reports;

namespace Tessera.Benchmarks;

/// <summary>Placeholder until the doc export is written.</summary>
public static class DocExport
{
    public static int Write(IReadOnlyList<Summary> summaries, string[] args) => summaries.Count > 0 && args.Length >= 0 ? 0 : 1;
}
