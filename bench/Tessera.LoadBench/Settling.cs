namespace Tessera.LoadBench;

/// <summary>
/// Runs a target until it is settled: two runs in a row agree on the CPU per request within
/// <see cref="Within"/>, at most <see cref="MaxRuns"/> runs. A fixed warm-up was not enough (#13):
/// perf on the cache-miss target 8–18 s into its warm-up found 22% of its CPU in instrumented and
/// Tier0 code against 4% in Tier1 (each run brings new code, and the background compiler shares the
/// pinned core), and its rounds fell from 240 to 145 µs per request as the code tiered up (with
/// tiered compilation off they held at 250). The request-path rows showed it too: after a 20 s
/// warm-up the ceiling's first round cost 25.8 µs per request and its second 19.6. A server in
/// production runs settled, so that is what is measured.
/// </summary>
internal static class Settling
{
    /// <summary>Settled: two runs in a row within this fraction of each other's CPU per request.</summary>
    public const double Within = 0.10;

    /// <summary>At most this many runs after the warm-up.</summary>
    public const int MaxRuns = 6;

    /// <summary>
    /// Calls <paramref name="runOnce"/> (a run as a round makes it; its CPU per request, or null when
    /// the run does not count, such as a feed that ran dry) until settled or <see cref="MaxRuns"/>.
    /// </summary>
    public static async Task UntilSteadyAsync(string name, Func<Task<double?>> runOnce, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(runOnce);
        ArgumentNullException.ThrowIfNull(log);
        double? previous = null;
        for (int run = 1; run <= MaxRuns; run++)
        {
            double? cpu = await runOnce();
            log.WriteLine($"settling {name}: cpu {(cpu is { } c ? c.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-")} µs/req");
            if (cpu is { } now && previous is { } before && Math.Abs(now - before) <= Within * before)
            {
                return;
            }

            previous = cpu;
        }
    }
}
