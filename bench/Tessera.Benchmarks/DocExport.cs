using System.Globalization;
using System.Text;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using Tessera.Benchmarks.Contenders;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Benchmarks;

/// <summary>
/// The <c>--export-doc</c> mode: after a run, rewrites the generated part of docs/benchmarks.md
/// (between the BEGIN/END GENERATED markers) from that run's summaries — BenchmarkDotNet's own
/// markdown tables and machine header, the targets computed from the same reports, and the
/// allocation breakdown measured in this process. No number in that part is typed by hand.
/// </summary>
public static class DocExport
{
    public const string Begin = "<!-- BEGIN GENERATED";
    public const string End = "<!-- END GENERATED -->";

    private const double MicrosoftTarget = 2.0;
    private const double FloorTarget = 1.3;

    public static int Write(IReadOnlyList<Summary> summaries, string[] args, string loadAtStart)
    {
        string loadAtEnd = LoadAverage();
        string? root = FindRepositoryRoot();
        if (root is null)
        {
            Console.Error.WriteLine("--export-doc: run from inside the repository (Tessera.slnx not found above the current directory)");
            return 1;
        }

        string path = Path.Combine(root, "docs", "benchmarks.md");
        string section = Render(summaries, args, loadAtStart, loadAtEnd);
        string existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n" + Begin + " -->\n" + End + "\n";
        int begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        int end = existing.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            Console.Error.WriteLine($"--export-doc: {path} has no '{Begin} ... {End}' section");
            return 1;
        }

        File.WriteAllText(path, existing[..begin] + section + existing[(end + End.Length)..]);
        Console.WriteLine($"--export-doc: wrote the generated section of {path}");
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them (Linux), else "n/a".</summary>
    public static string LoadAverage() => Tessera.Bench.BenchEnvironment.LoadAverage();

    public static string Command(string[] args) =>
        "dotnet run -c Release --project bench/Tessera.Benchmarks -- " + string.Join(' ', args.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':') ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Render(IReadOnlyList<Summary> summaries, string[] args, string loadAtStart, string loadAtEnd)
    {
        var doc = new StringBuilder();
        doc.Append(Begin).Append(": written by --export-doc; do not edit by hand -->\n\n");
        doc.Append(CultureInfo.InvariantCulture, $"Produced by `{Command(args)}`, finished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. ");
        doc.Append(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) on this machine: {loadAtStart} when the run started, {loadAtEnd} when it ended");
        doc.Append(" (other work shares the machine; compare rows within one table, which ran back to back, rather than with other runs).\n\n");

        bool environmentWritten = false;
        foreach (Summary summary in summaries.OrderBy(s => Order(s.Title)))
        {
            (string environment, string table) = Markdown(summary);
            if (!environmentWritten)
            {
                doc.Append("### Machine and runtime (BenchmarkDotNet's header)\n\n```\n").Append(environment.Trim()).Append("\n```\n\n");
                environmentWritten = true;
            }

            doc.Append("### ").Append(Heading(summary)).Append("\n\n").Append(table.Trim()).Append("\n\n");
        }

        Summary? validation = summaries.FirstOrDefault(s => s.Reports.Any(r => r.BenchmarkCase.Descriptor.Type == typeof(ValidateBenchmarks)));
        if (validation is not null)
        {
            IReadOnlyList<Probe.Result> interleaved = AppendInterleaved(doc);
            AppendTargets(doc, validation, interleaved);
        }

        doc.Append(End);
        return doc.ToString();
    }

    private static int Order(string title) =>
        title.Contains(nameof(ValidateBenchmarks), StringComparison.Ordinal) ? 0
        : title.Contains(nameof(SignBenchmarks), StringComparison.Ordinal) ? 1
        : 2;

    private static string Heading(Summary summary)
    {
        Type? type = summary.Reports.FirstOrDefault()?.BenchmarkCase.Descriptor.Type;
        return type == typeof(ValidateBenchmarks) ? "Validate the access token (`ValidateBenchmarks`)"
            : type == typeof(SignBenchmarks) ? "Sign the access token (`SignBenchmarks`)"
            : type == typeof(HotPathBenchmarks) ? "Tessera's HS256 validation, piece by piece (`HotPathBenchmarks`)"
            : $"`{type?.Name ?? summary.Title}`";
    }

    /// <summary>BenchmarkDotNet's GitHub markdown: the environment block and the table.</summary>
    private static (string Environment, string Table) Markdown(Summary summary)
    {
        var logger = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, logger);
        string text = logger.GetLog().Replace("\r\n", "\n", StringComparison.Ordinal);
        int open = text.IndexOf("```", StringComparison.Ordinal);
        int close = open < 0 ? -1 : text.IndexOf("```", open + 3, StringComparison.Ordinal);
        return open < 0 || close < 0 ? (string.Empty, text) : (text[(open + 3)..close], text[(close + 3)..]);
    }

    private const int InterleavedRounds = 1500;

    /// <summary>HS256 validation again, interleaved in this process (<see cref="Probe"/>), so that load changes hit every row alike.</summary>
    private static IReadOnlyList<Probe.Result> AppendInterleaved(StringBuilder doc)
    {
        string loadBefore = LoadAverage();
        IReadOnlyList<Probe.Result> results = Probe.Measure(
            typeof(ValidateBenchmarks),
            m => m.Name.EndsWith("_HS256", StringComparison.Ordinal),
            InterleavedRounds,
            batchMilliseconds: 1.0);
        double tesseraMin = results.Single(r => r.Method == nameof(ValidateBenchmarks.Tessera_HS256)).MinNs;
        double tesseraMedian = results.Single(r => r.Method == nameof(ValidateBenchmarks.Tessera_HS256)).MedianNs;
        doc.Append("### HS256 validation, interleaved (load-robust cross-check)\n\n");
        doc.Append(CultureInfo.InvariantCulture,
            $"The HS256 rows above again, measured in the exporting process right after the run: the methods take turns in batches of about 1 ms, {InterleavedRounds} rounds each, so a burst of other work hits all of them alike. *Fastest* is the fastest batch (closest to an idle machine), *median* the typical one; per-operation times. Load average when this started: {loadBefore}.\n\n");
        doc.Append("| Method | Fastest batch | Median batch | Fastest, ratio to Tessera | Median, ratio to Tessera | Allocated |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (Probe.Result r in results)
        {
            doc.Append(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.MinNs:#,0} ns | {r.MedianNs:#,0} ns | {r.MinNs / tesseraMin:0.00} | {r.MedianNs / tesseraMedian:0.00} | {r.AllocatedBytes} B |\n");
        }

        doc.Append('\n');
        return results;
    }

    private static void AppendTargets(StringBuilder doc, Summary summary, IReadOnlyList<Probe.Result> interleaved)
    {
        BenchmarkReport? tessera = Find(summary, nameof(ValidateBenchmarks.Tessera_HS256));
        BenchmarkReport? microsoft = Find(summary, nameof(ValidateBenchmarks.Microsoft_HS256));
        BenchmarkReport? floor = Find(summary, nameof(ValidateBenchmarks.Floor_HS256));
        if (tessera?.ResultStatistics is null)
        {
            return;
        }

        double tesseraMean = tessera.ResultStatistics.Mean;
        long? allocated = tessera.GcStats.GetBytesAllocatedPerOperation(tessera.BenchmarkCase);
        Probe.Result? iTessera = interleaved.FirstOrDefault(r => r.Method == nameof(ValidateBenchmarks.Tessera_HS256));
        Probe.Result? iMicrosoft = interleaved.FirstOrDefault(r => r.Method == nameof(ValidateBenchmarks.Microsoft_HS256));
        Probe.Result? iFloor = interleaved.FirstOrDefault(r => r.Method == nameof(ValidateBenchmarks.Floor_HS256));
        doc.Append("### Targets\n\n");
        doc.Append("| Target | BenchmarkDotNet table (ratio of means) | Interleaved: fastest batches | Interleaved: median batches |\n|---|---|---|---|\n");
        if (microsoft?.ResultStatistics is not null && iTessera is not null && iMicrosoft is not null)
        {
            double speedup = microsoft.ResultStatistics.Mean / tesseraMean;
            doc.Append(CultureInfo.InvariantCulture,
                $"| HS256 validation at least {MicrosoftTarget:0.0}× faster than Microsoft.IdentityModel.JsonWebTokens | {Ns(microsoft)} / {Ns(tessera)} = {Verdict(speedup, speedup >= MicrosoftTarget)} | {Verdict(iMicrosoft.MinNs / iTessera.MinNs, iMicrosoft.MinNs / iTessera.MinNs >= MicrosoftTarget)} | {Verdict(iMicrosoft.MedianNs / iTessera.MedianNs, iMicrosoft.MedianNs / iTessera.MedianNs >= MicrosoftTarget)} |\n");
        }

        if (floor?.ResultStatistics is not null && iTessera is not null && iFloor is not null)
        {
            double overFloor = tesseraMean / floor.ResultStatistics.Mean;
            doc.Append(CultureInfo.InvariantCulture,
                $"| HS256 validation within {FloorTarget:0.0}× of the floor | {Ns(tessera)} / {Ns(floor)} = {Verdict(overFloor, overFloor <= FloorTarget)} | {Verdict(iTessera.MinNs / iFloor.MinNs, iTessera.MinNs / iFloor.MinNs <= FloorTarget)} | {Verdict(iTessera.MedianNs / iFloor.MedianNs, iTessera.MedianNs / iFloor.MedianNs <= FloorTarget)} |\n");
        }

        Allocation breakdown = MeasureAllocations();
        // The benchmark method reads Subject, so its validations also make the deferred sub string.
        bool onlyClaims = allocated == breakdown.Expected + breakdown.Subject && breakdown.InProcess == breakdown.Expected;
        string perValidation = allocated?.ToString(CultureInfo.InvariantCulture) ?? "n/a";
        doc.Append(CultureInfo.InvariantCulture,
            $"| No allocation beyond the returned claims | {perValidation} B per validation (the benchmark reads `Subject`); the returned objects (below) add up to {breakdown.Expected} B, {breakdown.Expected + breakdown.Subject} B with `sub` read: {(onlyClaims ? "met" : "**missed**")} | {iTessera?.AllocatedBytes} B | |\n\n");

        doc.Append("The BenchmarkDotNet column divides the table's means (its own Ratio column is the mean of per-iteration ratios, so the two can differ slightly); the BenchmarkDotNet rows ran one after another, minutes apart, while the interleaved ones ran side by side.\n\n");
        doc.Append("### What one Tessera HS256 validation allocates\n\n");
        doc.Append("Measured in the exporting process with `GC.GetAllocatedBytesForCurrentThread()` around each object (same token shape, validator warmed up):\n\n");
        doc.Append("| Object | Bytes | What it is |\n|---|---:|---|\n");
        foreach ((string name, long bytes, string what) in breakdown.Items)
        {
            doc.Append(CultureInfo.InvariantCulture, $"| {name} | {bytes} | {what} |\n");
        }

        doc.Append(CultureInfo.InvariantCulture, $"| **Sum** (what `Validate` returns, before `sub` or `jti` is read) | **{breakdown.Expected}** | |\n");
        doc.Append(CultureInfo.InvariantCulture, $"| One whole `Validate` call, same process | {breakdown.InProcess} | must equal the sum: nothing else is allocated |\n\n");
    }

    private static string Verdict(double ratio, bool met) =>
        ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×: " + (met ? "met" : "**missed**");

    private static string Ns(BenchmarkReport report) =>
        report.ResultStatistics!.Mean.ToString("#,0", CultureInfo.InvariantCulture) + " ns";

    private static BenchmarkReport? Find(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);

    private sealed record Allocation(IReadOnlyList<(string Name, long Bytes, string What)> Items, long Expected, long InProcess, long Subject);

    /// <summary>Allocates each object Tessera's validator returns, one at a time, and a whole validation, and measures each.</summary>
    private static Allocation MeasureAllocations()
    {
        using ContenderSet set = ContenderSet.Create();
        ContenderSet.AlgorithmSet hs = set["HS256"];
        var validator = new JwtValidator(TesseraContender.Policy("HS256"));
        JwkSet keys = JwkSet.Of(hs.Key.TesseraVerifying);
        string token = hs.ValidToken;
        JwtClaims claims = null!;
        for (int i = 0; i < 100; i++)
        {
            claims = validator.Validate(token, keys).Claims!;
        }

        long inProcess = Measure(() => validator.Validate(token, keys));

        string encodedPayload = token.Split('.')[1];
        int payloadLength = StrictBase64Url.GetDecodedLength(encodedPayload.Length);
        long payload = Measure(() => new byte[payloadLength]);
        long subject = Measure(() => new string('s', claims.Subject!.Length));
        long jwtId = Measure(() => new string('j', claims.JwtId!.Length));
        byte[] payloadBytes = claims.RawPayload.ToArray();
        var registered = new JwtRegisteredClaims
        {
            Issuer = claims.Issuer,
            Subject = claims.Subject,
            JwtId = claims.JwtId,
            Audience = claims.Audiences[0],
            ExpiresAt = claims.ExpiresAt?.ToUnixTimeSeconds(),
            IssuedAt = claims.IssuedAt?.ToUnixTimeSeconds(),
        };
        long claimsObject = Measure(() => new JwtClaims(payloadBytes, in registered, claims.Algorithm, claims.KeyId, null));

        var items = new List<(string, long, string)>
        {
            ("`byte[]` payload", payload, $"the decoded payload ({payloadLength} bytes of JSON), kept as `JwtClaims.RawPayload` and parsed lazily for other claims"),
            ("`JwtClaims`", claimsObject, "the result object: registered claims, algorithm, key id, payload reference"),
            ("`string` sub", subject, $"`Subject` ({claims.Subject!.Length} characters), made when first read (not in the sum)"),
            ("`string` jti", jwtId, $"`JwtId` ({claims.JwtId!.Length} characters), made when first read (not in the sum)"),
            ("`string` iss, aud", 0, "not allocated: the policy's own instances are returned for accepted values"),
        };
        // sub and jti are read from the payload on first use (JwtClaims defers them), so a Validate call makes only the payload and the claims object.
        return new Allocation(items, payload + claimsObject, inProcess, subject);
    }

    private static long Measure<T>(Func<T> allocate)
    {
        allocate();
        long before = GC.GetAllocatedBytesForCurrentThread();
        T kept = allocate();
        long after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(kept);
        return after - before;
    }

    private static string? FindRepositoryRoot() => Tessera.Bench.BenchEnvironment.FindRepositoryRoot();
}
