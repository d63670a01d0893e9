using System.Diagnostics;

namespace Tessera.LoadBench;

/// <summary>
/// Where each process runs. With two or more cores and taskset, the server under test gets core 0
/// and the load generator (wrk, and Redis when a scenario needs it: a store on another machine, in
/// production) core 1, so wrk does not steal the server's CPU time. Otherwise nothing is pinned.
/// </summary>
public sealed record CpuPinning(string? ServerCores, string? LoadCores)
{
    public static CpuPinning Detect(bool enabled) =>
        enabled && Environment.ProcessorCount >= 2 && Machine.Has("taskset")
            ? new CpuPinning("0", Environment.ProcessorCount == 2 ? "1" : $"1-{Environment.ProcessorCount - 1}")
            : new CpuPinning(null, null);

    public string Describe() => ServerCores is null
        ? "not pinned"
        : $"server on core {ServerCores}, wrk (and Redis) on core(s) {LoadCores} (taskset)";

    /// <summary>A start description running <paramref name="program"/> on <paramref name="cores"/> (when pinning).</summary>
    public static ProcessStartInfo Start(string? cores, string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(cores is null ? program : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cores is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cores);
            start.ArgumentList.Add(program);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
