namespace Tessera.LoadBench;

/// <summary>
/// One wrk run of an issuing scenario: the usual sample, requests per second of server CPU, what
/// issuing.lua counted, and the checks made right after it.
/// </summary>
/// <param name="Sample">Requests, latency, server CPU, errors.</param>
/// <param name="RequestsPerCoreSecond">Requests ÷ the server's CPU seconds over the run: requests/s per core used.</param>
/// <param name="FeedLines">Lines fetched for this run (chains, tokens, bodies).</param>
/// <param name="Rotated">Refresh: 2xx answers that carried a refresh token (each one a rotation).</param>
/// <param name="Exhausted">Once-fed scenarios: requests sent after every line had been sent (tokens reused: the run is invalid).</param>
/// <param name="Lost">Refresh: answers without a new refresh token (their chain ended).</param>
/// <param name="Starved">Refresh: requests made with no chain left to carry (sent with a token that cannot rotate).</param>
/// <param name="Repeated">Refresh: refresh tokens the server handed out twice (must be 0).</param>
/// <param name="OldTokenRefused">Refresh: a chain's first token, presented after the run, was refused (it had been rotated away).</param>
/// <param name="HashesPerCoreSecond">Password sign-in: the bare Argon2id hash rate of the same server right after the run, per CPU second.</param>
/// <param name="BareVerifyMicroseconds">The cache-miss row: the server's CPU per bare ECDsa verification of one of the row's tokens, measured in the same process right after the run.</param>
/// <param name="Statuses">The answers that were not 2xx/3xx, by "status error-code" (e.g. "503 store_unavailable"), as issuing.lua counted them.</param>
public sealed record IssuingRun(
    RunSample Sample, double RequestsPerCoreSecond, int FeedLines, long Rotated, long Exhausted, long Lost, long Starved, long Repeated,
    bool? OldTokenRefused, double? HashesPerCoreSecond, double? BareVerifyMicroseconds = null, IReadOnlyDictionary<string, long>? Statuses = null)
{
    /// <summary>The failed answers as "47 × 503 store_unavailable, 2 × 500 -"; empty when there were none.</summary>
    public static string Describe(IEnumerable<IssuingRun> runs) => string.Join(", ", runs
        .SelectMany(r => r.Statuses ?? new Dictionary<string, long>())
        .GroupBy(s => s.Key, s => s.Value)
        .Select(g => (Key: g.Key, Count: g.Sum()))
        .OrderByDescending(s => s.Count)
        .Select(s => $"{s.Count} × {s.Key}"));
}

/// <summary>An issuing scenario's runs and their medians (<see cref="BareVerifyMicroseconds"/>: the median of <see cref="IssuingRun.BareVerifyMicroseconds"/>).</summary>
public sealed record IssuingResult(
    string Name, string Title, string Operation, string Store, int Connections, IReadOnlyList<IssuingRun> Runs,
    double RequestsPerSecond, double LatencyP50Milliseconds, double LatencyP99Milliseconds, double ServerCpuMicrosecondsPerRequest,
    double ServerCpuCores, double RequestsPerCore, double? HashesPerCore, long PeakMemoryBytes, double? BareVerifyMicroseconds = null)
{
    /// <summary>Why the runs are not usable (non-2xx answers, socket errors, chains broken or not rotated, feeds run out); empty when they are.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Runs.Count == 0 || Runs.Any(r => r.Sample.Requests == 0))
        {
            problems.Add($"{Name}: a run completed no request");
        }

        long non2xx = Runs.Sum(r => r.Sample.Non2xxOr3xx);
        long socket = Runs.Sum(r => r.Sample.SocketErrors);
        long exhausted = Runs.Sum(r => r.Exhausted);
        long broken = Runs.Sum(r => r.Lost + r.Starved);
        long repeated = Runs.Sum(r => r.Repeated);
        if (non2xx > 0)
        {
            problems.Add($"{Name}: {non2xx} responses were not 2xx/3xx ({IssuingRun.Describe(Runs)})");
        }

        if (socket > 0)
        {
            problems.Add($"{Name}: {socket} connect/read/write errors or timeouts");
        }

        if (exhausted > 0)
        {
            problems.Add($"{Name}: the feed ran out ({exhausted} requests reused a token): the run measured cache hits or repeated revocations");
        }

        if (broken > 0 || repeated > 0)
        {
            problems.Add($"{Name}: refresh chains broke ({broken} answers without a new token or requests without a chain, {repeated} tokens handed out twice)");
        }

        if (Runs.Any(r => r.Sample.Requests > 0 && r.OldTokenRefused == false))
        {
            problems.Add($"{Name}: a chain's first token was still accepted after the run: the chain did not rotate");
        }

        if (Runs.Any(r => r.OldTokenRefused == true && r.Rotated != r.Sample.Requests))
        {
            problems.Add($"{Name}: not every request was a rotation");
        }

        return problems;
    }
}
