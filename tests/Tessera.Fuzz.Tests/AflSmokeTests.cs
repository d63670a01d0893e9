using System.Diagnostics;
using System.Globalization;

namespace Tessera.Fuzz.Tests;

/// <summary>
/// Each target runs a few seconds under AFL++ with SharpFuzz-instrumented Tessera assemblies,
/// exactly as fuzz/run.sh runs it for hours: the instrumentation works, afl-fuzz talks to the
/// target, coverage grows past the seeds' and nothing crashes or hangs. Needs afl-fuzz (Debian
/// package afl++) and the local tool sharpfuzz (dotnet tool restore); test.sh installs both. No root:
/// afl-fuzz is told to leave the CPU governor and core_pattern alone.
/// </summary>
public sealed class AflSmokeTests : IClassFixture<AflSmokeTests.InstrumentedCopy>
{
    /// <summary>Per target: six of them, with start-up and calibration, stay within about a minute.</summary>
    private const int SecondsPerTarget = 3;

    private readonly InstrumentedCopy _copy;

    public AflSmokeTests(InstrumentedCopy copy) => _copy = copy;

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task TargetRunsUnderAflWithoutCrashOrHang(string target)
    {
        string findings = Path.Combine(_copy.Root, "findings", target);
        Directory.CreateDirectory(Path.GetDirectoryName(findings)!);
        (int exitCode, string output) = await RunAsync("afl-fuzz", FuzzPaths.RepoRoot,
            ["-i", FuzzPaths.Corpus(target), "-o", findings, "-t", "5000", "-m", "none", "-V", SecondsPerTarget.ToString(CultureInfo.InvariantCulture),
             "--", "dotnet", Path.Combine(_copy.Bin, "Tessera.Fuzz.dll"), target],
            TimeSpan.FromSeconds(SecondsPerTarget + 60));
        Dictionary<string, string> stats = ReadStats(Path.Combine(findings, "default", "fuzzer_stats"), output);

        Assert.True(exitCode == 0, $"afl-fuzz exited {exitCode}: {Tail(output)}");
        Assert.True(long.Parse(stats["execs_done"], CultureInfo.InvariantCulture) > 100, $"afl-fuzz ran too few inputs: {stats["execs_done"]}");
        Assert.True(int.Parse(stats["edges_found"], CultureInfo.InvariantCulture) > 10, $"no coverage: is the instrumentation there? edges_found={stats["edges_found"]}");
        string[] crashes = Found(findings, "crashes");
        string[] hangs = Found(findings, "hangs");
        Assert.True(crashes.Length == 0 && hangs.Length == 0,
            $"{target}: afl-fuzz found {crashes.Length} crash(es) and {hangs.Length} hang(s); triage them (fuzz/README.md) and commit each under fuzz/regressions/{target}: {string.Join(", ", crashes.Concat(hangs))}");
    }

    private static string[] Found(string findings, string kind)
    {
        string folder = Path.Combine(findings, "default", kind);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f).StartsWith("id:", StringComparison.Ordinal))] : [];
    }

    private static Dictionary<string, string> ReadStats(string path, string output)
    {
        Assert.True(File.Exists(path), $"afl-fuzz wrote no statistics: {Tail(output)}");
        return File.ReadAllLines(path).Select(line => line.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    internal static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As fuzz/run.sh: no root, no change to the machine.
        start.Environment["AFL_SKIP_BIN_CHECK"] = "1";
        start.Environment["AFL_SKIP_CPUFREQ"] = "1";
        start.Environment["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1";
        start.Environment["AFL_NO_AFFINITY"] = "1";
        start.Environment["AFL_NO_UI"] = "1";
        start.Environment["DOTNET_TieredCompilation"] = "0";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{file} still running after {timeout}: " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A copy of the harness with Tessera.Jose, Tessera and Tessera.AspNetCore instrumented, made once for all targets.</summary>
    public sealed class InstrumentedCopy : IAsyncLifetime
    {
        private static readonly string[] Instrumented = ["Tessera.Jose", "Tessera", "Tessera.AspNetCore"];

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "tessera-fuzz-" + Guid.NewGuid().ToString("N"));

        public string Bin => Path.Combine(Root, "bin");

        public async Task InitializeAsync()
        {
            // The test's output folder holds the harness and everything it loads (it references the project).
            // All of it, runtimes/ too: NSec's native libsodium lives there.
            string built = AppContext.BaseDirectory;
            foreach (string file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
            {
                string copy = Path.Combine(Bin, Path.GetRelativePath(built, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            foreach (string assembly in Instrumented)
            {
                (int exitCode, string output) = await RunAsync("dotnet", FuzzPaths.RepoRoot, ["tool", "run", "sharpfuzz", Path.Combine(Bin, assembly + ".dll")], TimeSpan.FromMinutes(2));
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"sharpfuzz could not instrument {assembly} (is the local tool restored? dotnet tool restore): {output}");
                }
            }
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Root, recursive: true);
            return Task.CompletedTask;
        }
    }
}
