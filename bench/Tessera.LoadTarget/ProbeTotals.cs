using System.Diagnostics;
using System.Globalization;

namespace Tessera.LoadTarget;

/// <summary>
/// What a probe row cost on average, not at its fastest (#13, the cache-miss row): the mean wall
/// time, the process's CPU time (every thread, the GC's included, as the load rows count it), and
/// the collections and GC pauses, per request. A row whose mean is far above its minimum pays
/// something the fastest batch did not: these columns say whether that is the GC.
/// </summary>
internal struct ProbeTotals
{
    private long _calls;
    private TimeSpan _elapsed;
    private TimeSpan _cpu;
    private TimeSpan _paused;
    private long _gen0;
    private long _gen1;
    private long _gen2;

    /// <summary>The columns <see cref="ToString"/> writes.</summary>
    public static string Heading => $"{"mean ns",9} {"cpu ns",9} {"gc pause ns",11} {"gen0/1k",8} {"gen1/1k",8} {"gen2/1k",8}";

    /// <summary>The counters at one moment.</summary>
    public static Snapshot Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>Adds one batch of <paramref name="calls"/> calls between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public void Add(Snapshot from, Snapshot to, TimeSpan elapsed, int calls)
    {
        _calls += calls;
        _elapsed += elapsed;
        _cpu += to.Cpu - from.Cpu;
        _paused += to.Paused - from.Paused;
        _gen0 += to.Gen0 - from.Gen0;
        _gen1 += to.Gen1 - from.Gen1;
        _gen2 += to.Gen2 - from.Gen2;
    }

    /// <summary>The per-request columns of <see cref="Heading"/>.</summary>
    public override readonly string ToString()
    {
        double calls = Math.Max(1, _calls);
        return string.Create(CultureInfo.InvariantCulture,
            $"{_elapsed.TotalNanoseconds / calls,9:F0} {_cpu.TotalNanoseconds / calls,9:F0} {_paused.TotalNanoseconds / calls,11:F0} {_gen0 * 1000 / calls,8:F2} {_gen1 * 1000 / calls,8:F2} {_gen2 * 1000 / calls,8:F2}");
    }

    /// <summary>The process's CPU time, the GC's total pause, and the collections of each generation so far.</summary>
    public readonly record struct Snapshot(TimeSpan Cpu, TimeSpan Paused, int Gen0, int Gen1, int Gen2);
}
