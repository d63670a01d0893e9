using System.Globalization;
using System.Text;
using Tessera.LoadTarget;
using Tessera.Tokens;

namespace Tessera.LoadBench;

/// <summary>
/// The generated parts of the docs: the load table, goals and memory per session in
/// docs/benchmarks.md, the comparison in docs/concepts.md, each between its own markers. Every
/// number comes from the results of the run.
/// </summary>
public static class DocSection
{
    public const string BenchmarksBegin = "<!-- BEGIN LOAD GENERATED";
    public const string BenchmarksEnd = "<!-- END LOAD GENERATED -->";
    public const string ConceptsBegin = "<!-- BEGIN CONCEPTS GENERATED";
    public const string ConceptsEnd = "<!-- END CONCEPTS GENERATED -->";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Export(LoadBenchResults results, string root)
    {
        ArgumentNullException.ThrowIfNull(results);
        // #13 cells: docs/scaling.md's capacity section, from the same results.
        CapacitySection.Export(results, root);
        string docs = Path.Combine(root, "docs");
        ResultsFiles.Write(results, docs);
        Replace(Path.Combine(docs, "benchmarks.md"), BenchmarksBegin, BenchmarksEnd, Benchmarks(results));
        Replace(Path.Combine(docs, "concepts.md"), ConceptsBegin, ConceptsEnd, Concepts(results));
        // #13 issuing: its own generated section of benchmarks.md.
        Replace(Path.Combine(docs, "benchmarks.md"), IssuingDocSection.Begin, IssuingDocSection.End, IssuingDocSection.Render(results));
    }

    /// <summary>The main table, alone (also printed at the end of every run).</summary>
    public static string Table(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        double ceiling = results.Scenarios.FirstOrDefault(s => s.Name == ScenarioNames.None)?.RequestsPerSecond ?? double.NaN;
        var table = new StringBuilder();
        table.Append("| # | Scenario | Credential bytes per request | Requests/s (median) | Of the ceiling | p50 | p99 | Server CPU per request | Server CPU (cores) | Server peak memory | Refused right after sign-out | Runs: req/s min–max |\n");
        table.Append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (ScenarioResult row in results.Scenarios)
        {
            string ofCeiling = double.IsNaN(ceiling) || row.Name == ScenarioNames.None ? "—" : (row.RequestsPerSecond / ceiling * 100).ToString("F0", Invariant) + " %";
            string revocation = row.RefusedRightAfterRevocation switch { true => "yes", false => "**no**", null => "—" };
            table.Append(Invariant, $"| {row.Number} | {row.Title} | {row.CredentialBytes:N0} | {row.RequestsPerSecond:N0} | {ofCeiling} | {row.LatencyP50Milliseconds:F2} ms | {row.LatencyP99Milliseconds:F2} ms | {row.ServerCpuMicrosecondsPerRequest:F1} µs | {row.ServerCpuCores:F2} | {row.PeakMemoryBytes / 1048576.0:F0} MiB | {revocation} | {row.Runs.Min(r => r.RequestsPerSecond):N0}–{row.Runs.Max(r => r.RequestsPerSecond):N0} |\n");
        }

        return table.ToString();
    }

    public static string Benchmarks(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var doc = new StringBuilder();
        doc.Append(BenchmarksBegin).Append(": written by Tessera.LoadBench --export-doc; do not edit by hand -->\n\n");
        doc.Append(Invariant, $"Produced by `{results.Command}` ({results.Configuration} build), {results.StartedAt:yyyy-MM-dd HH:mm}–{results.FinishedAt:HH:mm} UTC. ");
        doc.Append(Invariant, $"Load average (1, 5, 15 min): {results.LoadAverageAtStart} at the start, {results.LoadAverageAtEnd} at the end.\n\n");
        doc.Append(Invariant, $"- Machine: {results.Cpu}; {results.Runtime}; {results.Wrk}.\n");
        doc.Append(Invariant, $"- Placement: {results.Pinning}.\n");
        doc.Append(Invariant, $"- Load: wrk with {results.WrkThreads} thread(s) and {results.Connections} keep-alive connections; per scenario a {results.WarmupSeconds:F0} s warm-up{Settled(results)}, then {results.Rounds} runs of {results.RunSeconds:F0} s, interleaved (round 1 of every scenario, then round 2, …). The table gives the median of the runs.\n");
        doc.Append(Invariant, $"- Credentials: {results.UsersPerScenario} users signed in per scenario through the target's sign-in; requests cycle through their credentials. Session stores hold {results.BackgroundSessions:N0} other sessions besides.\n\n");
        doc.Append(Table(results)).Append('\n');
        doc.Append("![Requests per second per scenario](load-chart.svg)\n\n");

        doc.Append("### Goals (issue #6)\n\n| Goal | Measured (medians) | |\n|---|---|---|\n");
        foreach (Goals.Goal goal in Goals.Evaluate(results))
        {
            doc.Append(Invariant, $"| {goal.Text} | {goal.Measured} | {(goal.Met switch { true => "met", false => "**missed**", null => "—" })} |\n");
        }

        doc.Append("\n### Memory per stored session\n\n| Store | Sessions written | Growth | Per session | Measured as |\n|---|---:|---:|---:|---|\n");
        foreach (SessionMemoryResult memory in results.SessionMemory)
        {
            doc.Append(Invariant, $"| {memory.Store} | {memory.Sessions:N0} | {memory.TotalBytes / 1048576.0:F1} MiB | {memory.BytesPerSession:F0} B | {memory.Method} |\n");
        }

        doc.Append("\nThe machine-readable results of this run: [load-results.json](load-results.json).\n\n");
        doc.Append(BenchmarksEnd);
        return doc.ToString();
    }

    public static string Concepts(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ScenarioResult? Row(string name) => results.Scenarios.FirstOrDefault(s => s.Name == name);
        double ceilingCpu = Row(ScenarioNames.None)?.ServerCpuMicrosecondsPerRequest ?? double.NaN;
        string Extra(params string[] names) => string.Join("; ", names.Select(Row).OfType<ScenarioResult>().Select(r =>
            $"{r.Number}: {r.ServerCpuMicrosecondsPerRequest - ceilingCpu:F1} µs"));
        string Bytes(params string[] names) => string.Join("; ", names.Select(Row).OfType<ScenarioResult>().Select(r => $"{r.Number}: {r.CredentialBytes:N0} B"));
        string Revoked(params string[] names) => string.Join("; ", names.Select(Row).OfType<ScenarioResult>().Select(r =>
            $"{r.Number}: {(r.RefusedRightAfterRevocation == true ? "refused at once" : "still accepted")}"));
        string PerSession(string storePrefix) => results.SessionMemory.FirstOrDefault(m => m.Store.StartsWith(storePrefix, StringComparison.Ordinal)) is { } m
            ? $"{m.BytesPerSession:F0} B per session ({storePrefix})" : $"not measured ({storePrefix})";
        TimeSpan accessLifetime = new TesseraTokenOptions().AccessTokenLifetime;

        var doc = new StringBuilder();
        doc.Append(ConceptsBegin).Append(": written by Tessera.LoadBench --export-doc from the run in benchmarks.md; do not edit by hand -->\n\n");
        doc.Append("Numbers: `row: value`, rows of the [load table](benchmarks.md#load-results). *Work per request* is the server's CPU time per request above the no-authentication ceiling (row 1).\n\n");
        doc.Append("| | Session cookie (Tessera) | JWT access token (Tessera bearer) | JWT + `sid` revocation check | Encrypted ticket cookie (ASP.NET Core) |\n|---|---|---|---|---|\n");
        doc.Append("| Rows | 2, 3, 4 (12: Redis behind the near cache) | 5, 6, 7, 8 (10: ASP.NET Core's JwtBearer) | 11 (13: the pushed list) | 9 |\n");
        doc.Append(Invariant, $"| Server state per signed-in user | one session record: {PerSession("in-memory")}, {PerSession("Redis")} | none on the API (the issuer keeps the session behind the refresh token) | none per signed-in user; one Redis key per *revoked* session, kept as long as an access token can live | none |\n");
        doc.Append(Invariant, $"| Work per request | a hash and a store lookup (12: from memory, kept current by Redis pub/sub): {Extra(ScenarioNames.SessionMemory, ScenarioNames.SessionSqlite, ScenarioNames.SessionRedis, ScenarioNames.SessionRedisNearCache)} | a signature check: {Extra(ScenarioNames.BearerHs256, ScenarioNames.BearerEs256, ScenarioNames.BearerEdDsa, ScenarioNames.BearerRs256, ScenarioNames.AspNetJwtBearer)} | the signature check plus one Redis lookup (EXISTS) of the `sid` (13: a lookup in a local set the store's pub/sub keeps current): {Extra(ScenarioNames.BearerEs256Sid, ScenarioNames.BearerEs256SidPushed)} | a decryption (AES-CBC + HMAC): {Extra(ScenarioNames.AspNetCookie)} |\n");
        doc.Append(Invariant, $"| Credential bytes on the wire, every request | {Bytes(ScenarioNames.SessionMemory)} | {Bytes(ScenarioNames.BearerHs256, ScenarioNames.BearerEs256, ScenarioNames.BearerEdDsa, ScenarioNames.BearerRs256)} | {Bytes(ScenarioNames.BearerEs256Sid)} | {Bytes(ScenarioNames.AspNetCookie)} |\n");
        doc.Append(Invariant, $"| Revocation: the old credential replayed right after sign-out | {Revoked(ScenarioNames.SessionMemory, ScenarioNames.SessionSqlite, ScenarioNames.SessionRedis, ScenarioNames.SessionRedisNearCache)} | {Revoked(ScenarioNames.BearerEs256, ScenarioNames.AspNetJwtBearer)}: works until `exp` (access tokens live {accessLifetime.TotalMinutes:F0} min by default) | {Revoked(ScenarioNames.BearerEs256Sid, ScenarioNames.BearerEs256SidPushed)} | {Revoked(ScenarioNames.AspNetCookie)}: works until the ticket expires (`ExpireTimeSpan`, 14 days by default, sliding) |\n");
        // Issue #13: the measured rows (ConceptsCells), each falling back to its statement when not measured.
        doc.Append("| What survives a server restart | ").AppendJoin(" | ", ConceptsCells.Restart(results)).Append(" |\n");
        doc.Append("| Revocation seen by another instance | ").AppendJoin(" | ", ConceptsCells.RevocationLatency(results)).Append(" |\n");
        doc.Append("| What a second server needs | ").AppendJoin(" | ", ConceptsCells.SecondServer(results)).Append(" |\n");
        if (ConceptsCells.Sticky(results) is { } sticky)
        {
            doc.Append("| Sticky sessions | ").AppendJoin(" | ", sticky).Append(" |\n");
        }

        doc.Append('\n').Append(ConceptsCells.Footnote(results));
        doc.Append(ConceptsEnd);
        return doc.ToString();
    }

    /// <summary>Replaces the text from <paramref name="begin"/> to <paramref name="end"/> (both included) in <paramref name="path"/>.</summary>
    internal static void Replace(string path, string begin, string end, string section)
    {
        string existing = File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"{path} is missing");
        int from = existing.IndexOf(begin, StringComparison.Ordinal);
        int to = existing.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"{path} has no '{begin} ... {end}' section");
        }

        File.WriteAllText(path, existing[..from] + section + existing[(to + end.Length)..]);
    }

    /// <summary>What follows the warm-up in a full run (see <see cref="Settling"/>): nothing in a quick one.</summary>
    internal static string Settled(LoadBenchResults results) =>
        results.Quick ? "" : string.Create(Invariant, $" and runs until settled (two in a row within {Settling.Within:P0} of each other's CPU per request, at most {Settling.MaxRuns})");
}
