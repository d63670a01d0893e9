using System.Globalization;
using System.Text;
using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// docs/benchmarks.md's generated "Issuing side" section (#13): the token endpoints per store, per
/// core beside #13's anchors and goals, sign-ins beside the bare Argon2id rate, and the ES256
/// cache-miss row beside the cached one and its goal (ceiling + a bare verification + 10 µs).
/// Every number comes from the run's results.
/// </summary>
public static class IssuingDocSection
{
    public const string Begin = "<!-- BEGIN ISSUING GENERATED";
    public const string End = "<!-- END ISSUING GENERATED -->";

    /// <summary>#13: what a cache miss may cost beyond the ceiling and one signature verification.</summary>
    public const double MissAllowanceMicroseconds = 10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The tables alone (also printed at the end of every run); empty when no issuing scenario ran.</summary>
    public static string Tables(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var doc = new StringBuilder();
        IssuingResult[] endpoints = [.. results.Issuing.Where(r => r.Name != ScenarioNames.BearerEs256Miss)];
        if (endpoints.Length > 0)
        {
            doc.Append("| Operation | Store | Requests/s (median) | Server CPU per request | Server CPU (cores) | Per core (req/s ÷ cores) | p50 | p99 | Connections | Published anchor per core (other hardware, coarse) | #13 goal per core | |\n");
            doc.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
            foreach (IssuingResult row in endpoints)
            {
                IssuingScenario scenario = IssuingScenario.All.Single(s => s.Name == row.Name);
                string goal = scenario.GoalPerCore is { } g ? $"≥ {g:N0}/s" : "—";
                string met = scenario.GoalPerCore is { } target ? (row.RequestsPerCore >= target ? "met" : "**missed**") : "—";
                doc.Append(Invariant, $"| {row.Operation} | {row.Store} | {row.RequestsPerSecond:N0} | {row.ServerCpuMicrosecondsPerRequest:F1} µs | {row.ServerCpuCores:F2} | {row.RequestsPerCore:N0} | {row.LatencyP50Milliseconds:F2} ms | {row.LatencyP99Milliseconds:F2} ms | {row.Connections} | {scenario.Anchor ?? "—"} | {goal} | {met} |\n");
            }
        }

        IssuingResult[] signIns = [.. results.Issuing.Where(r => r.HashesPerCore is not null)];
        if (signIns.Length > 0)
        {
            doc.Append("\n| Password sign-in | Sign-ins/s per core | Bare Argon2id hashes/s per core (same parameters, same process, same run) | Sign-ins per hash |\n|---|---:|---:|---:|\n");
            foreach (IssuingResult row in signIns)
            {
                double hashes = row.HashesPerCore!.Value;
                doc.Append(Invariant, $"| {row.Store} | {row.RequestsPerCore:N1} | {hashes:N1} | {(hashes > 0 ? row.RequestsPerCore / hashes : double.NaN):F2} |\n");
            }
        }

        if (results.Issuing.FirstOrDefault(r => r.Name == ScenarioNames.BearerEs256Miss) is { } miss)
        {
            ScenarioResult? cached = results.Scenarios.FirstOrDefault(s => s.Name == ScenarioNames.BearerEs256);
            ScenarioResult? ceiling = results.Scenarios.FirstOrDefault(s => s.Name == ScenarioNames.None);
            doc.Append("\n| Bearer ES256 | Requests/s (median) | Server CPU per request | Above the ceiling (row 1) | p50 | p99 |\n|---|---:|---:|---:|---:|---:|\n");
            string Above(double cpu) => ceiling is null ? "—" : $"{cpu - ceiling.ServerCpuMicrosecondsPerRequest:F1} µs";
            doc.Append(Invariant, $"| cache miss on every request (each token sent once) | {miss.RequestsPerSecond:N0} | {miss.ServerCpuMicrosecondsPerRequest:F1} µs | {Above(miss.ServerCpuMicrosecondsPerRequest)} | {miss.LatencyP50Milliseconds:F2} ms | {miss.LatencyP99Milliseconds:F2} ms |\n");
            if (cached is not null)
            {
                doc.Append(Invariant, $"| row 6: the same tokens sent again and again | {cached.RequestsPerSecond:N0} | {cached.ServerCpuMicrosecondsPerRequest:F1} µs | {Above(cached.ServerCpuMicrosecondsPerRequest)} | {cached.LatencyP50Milliseconds:F2} ms | {cached.LatencyP99Milliseconds:F2} ms |\n");
            }

            doc.Append(MissGoal(miss, ceiling));
        }

        return doc.ToString();
    }

    /// <summary>
    /// #13's goal for the cache-miss row: no more server CPU per request than the ceiling (row 1),
    /// plus one bare ES256 verification (measured in the miss row's own process after each of its
    /// runs), plus <see cref="MissAllowanceMicroseconds"/>.
    /// </summary>
    private static string MissGoal(IssuingResult miss, ScenarioResult? ceiling)
    {
        var row = new StringBuilder("\n| #13 goal, cache miss | Ceiling (row 1) | Bare ES256 verification (ECDsa alone, same process, same run) | Allowance | Goal | Cache miss | |\n|---|---:|---:|---:|---:|---:|---|\n");
        string ceilingText = ceiling is null ? "— (row 1 not run)" : $"{ceiling.ServerCpuMicrosecondsPerRequest:F1} µs";
        string bareText = miss.BareVerifyMicroseconds is { } v ? $"{v:F1} µs" : "— (not measured)";
        string goal = "—";
        string met = "not checkable";
        if (ceiling is not null && miss.BareVerifyMicroseconds is { } bare && double.IsFinite(bare))
        {
            double target = ceiling.ServerCpuMicrosecondsPerRequest + bare + MissAllowanceMicroseconds;
            goal = $"≤ {target:F1} µs";
            met = miss.ServerCpuMicrosecondsPerRequest <= target ? "met" : "**missed**";
        }

        return row.Append(Invariant, $"| ceiling + one verification + {MissAllowanceMicroseconds:F0} µs of CPU per request | {ceilingText} | {bareText} | {MissAllowanceMicroseconds:F0} µs | {goal} | {miss.ServerCpuMicrosecondsPerRequest:F1} µs | {met} |\n").ToString();
    }

    public static string Render(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var doc = new StringBuilder();
        doc.Append(Begin).Append(": written by Tessera.LoadBench --export-doc; do not edit by hand -->\n\n");
        if (results.Issuing.Count == 0)
        {
            doc.Append("Not measured in this run.\n\n");
            return doc.Append(End).ToString();
        }

        doc.Append(Invariant, $"Produced by the run above (`{results.Command}`): the server pinned as above, per scenario a {results.WarmupSeconds:F0} s warm-up{DocSection.Settled(results)}, then {results.Rounds} runs of {results.RunSeconds:F0} s, interleaved; medians. ");
        doc.Append("*Per core* is requests per second of the server's CPU time (requests/s ÷ cores used). The anchors are published figures on other hardware: a coarse scale, not a comparison on equal terms.\n\n");
        doc.Append(Tables(results)).Append('\n');
        doc.Append(End);
        return doc.ToString();
    }
}
