using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tessera.LoadBench;

/// <summary>What the numbers were measured on.</summary>
public static class Machine
{
    public static string LoadAverage() => Tessera.Bench.BenchEnvironment.LoadAverage();

    public static string Cpu()
    {
        string? model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical cores";
    }

    public static string Runtime() => $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";

    /// <summary>The first line wrk prints about itself, or null when wrk is not installed.</summary>
    public static string? WrkVersion() => FirstLine("wrk", "--version");

    public static bool Has(string program) => FirstLine("sh", "-c", $"command -v {program}") is not null;

    private static string? FirstLine(string program, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            string? line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            return process.ExitCode is 0 or 1 && line is not null ? line : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
