using System.Globalization;
using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>The harness's settings: <see cref="Full"/> for published numbers, <see cref="QuickRun"/> for the smoke run.</summary>
public sealed record LoadBenchOptions
{
    public bool Quick { get; init; }

    /// <summary>The request-path rows, then #13's issuing rows (<c>--only</c> picks from both).</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [.. ScenarioNames.All, .. ScenarioNames.Issuing];

    /// <summary>Each round runs every scenario once (interleaved, so a burst of other work hits all alike); the doc reports medians.</summary>
    public int Rounds { get; init; } = 5;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Load on each target before its first measured run. Long enough for tiered compilation to settle:
    /// perf on the pinned server core showed the runtime's tiered-compilation thread still busy 12 s
    /// into the load with a 5 s warm-up, and the first measured round of every scenario up to 1.6× the
    /// CPU per request of its later rounds; a server in production runs in the settled state.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(20);

    public int Connections { get; init; } = 64;

    public int WrkThreads { get; init; } = 1;

    /// <summary>Signed-in users per scenario; each request carries the next one's credential.</summary>
    public int Users { get; init; } = 100;

    /// <summary>Other users' sessions in a store before the run.</summary>
    public int BackgroundSessions { get; init; } = 10_000;

    /// <summary>Sessions written to measure memory per stored session (0: skip).</summary>
    public int SessionMemoryCount { get; init; } = 1_000_000;

    public bool Pin { get; init; } = true;

    /// <summary>Also measure the concepts table's rows: restart survival, a second server, sticky sessions (ConceptsMeasurement).</summary>
    public bool Concepts { get; init; } = true;

    /// <summary>Clients, each from its own loopback address, in the sticky-session measurement.</summary>
    public int StickyClients { get; init; } = 64;

    /// <summary>Where results.json and the chart go (default: artifacts/load under the repository).</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Also rewrite the generated sections of docs/benchmarks.md and docs/concepts.md, and the docs' chart and results.</summary>
    public bool ExportDoc { get; init; }

    /// <summary>
    /// Measure nothing: take the results an earlier run wrote to the output folder (its load-results.json),
    /// with a revocation-latency run's file beside them when there is one, and print or export those.
    /// </summary>
    public bool FromResults { get; init; }

    public static LoadBenchOptions Full { get; } = new();

    /// <summary>Seconds per scenario: proves every scenario works end to end, measures nothing worth publishing.</summary>
    public static LoadBenchOptions QuickRun { get; } = new()
    {
        Quick = true,
        Rounds = 1,
        Duration = TimeSpan.FromSeconds(2),
        Warmup = TimeSpan.FromSeconds(1),
        Connections = 16,
        Users = 10,
        BackgroundSessions = 200,
        SessionMemoryCount = 10_000,
        StickyClients = 16,
    };

    /// <summary>
    /// <c>[--quick] [--export-doc] [--only a,b] [--rounds N] [--duration S] [--warmup S] [--connections N]
    /// [--users N] [--background-sessions N] [--session-memory N] [--no-pin] [--out DIR] [--no-concepts] [--sticky-clients N] [--from-results]</c>.
    /// </summary>
    public static LoadBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        LoadBenchOptions options = args.Contains("--quick") ? QuickRun : Full;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture) is var n && n >= 0 ? n : throw new ArgumentException($"{args[i - 1]} must be 0 or more");
            options = args[i] switch
            {
                "--quick" => options,
                "--export-doc" => options with { ExportDoc = true },
                "--from-results" => options with { FromResults = true },
                "--no-pin" => options with { Pin = false },
                "--no-concepts" => options with { Concepts = false },
                "--sticky-clients" => options with { StickyClients = Math.Max(1, NextInt()) },
                "--only" => options with { Scenarios = Known(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) },
                "--rounds" => options with { Rounds = Math.Max(1, NextInt()) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Math.Max(1, NextInt())) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(NextInt()) },
                "--connections" => options with { Connections = Math.Max(1, NextInt()) },
                "--users" => options with { Users = Math.Max(1, NextInt()) },
                "--background-sessions" => options with { BackgroundSessions = NextInt() },
                "--session-memory" => options with { SessionMemoryCount = NextInt() },
                "--out" => options with { OutputFolder = Next() },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return options;
    }

    private static string[] Known(string[] names) =>
        names.FirstOrDefault(n => !ScenarioNames.IsKnown(n)) is { } unknown
            ? throw new ArgumentException($"unknown scenario '{unknown}'; known: {string.Join(", ", ScenarioNames.All.Concat(ScenarioNames.Issuing))}")
            : names;
}
