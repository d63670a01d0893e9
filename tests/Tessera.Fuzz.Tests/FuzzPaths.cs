using System.Reflection;

namespace Tessera.Fuzz.Tests;

/// <summary>Where the harness keeps its inputs: fuzz/corpus/TARGET (seeds) and fuzz/regressions/TARGET (every crash or hang found).</summary>
internal static class FuzzPaths
{
    public static string RepoRoot { get; } = typeof(FuzzPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public static string Corpus(string target) => Path.Combine(RepoRoot, "fuzz", "corpus", target);

    public static string Regressions(string target) => Path.Combine(RepoRoot, "fuzz", "regressions", target);

    /// <summary>The input files of a folder (a README.md beside them describes, and is not an input).</summary>
    public static IEnumerable<string> Inputs(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        : [];
}
