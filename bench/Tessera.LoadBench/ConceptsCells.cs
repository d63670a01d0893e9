using System.Globalization;
using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// The measured cells of docs/concepts.md's table (issue #13), from <see cref="LoadBenchResults.Concepts"/>.
/// A cell whose measurement did not run keeps the statement it had before (no number), or says
/// "not measured in this run"; no number is ever written here by hand.
/// </summary>
public static class ConceptsCells
{
    public const string NotMeasured = "not measured in this run";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The row "What survives a server restart": four cells, session / JWT / JWT + sid / ticket cookie.</summary>
    public static string[] Restart(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<RestartSurvival> measured = results.Concepts?.Restart ?? [];
        RestartSurvival? Of(string name) => measured.FirstOrDefault(r => r.Scenario == name);
        string Count(RestartSurvival r) => $"{r.AcceptedAfterRestart}/{r.SignedIn}";
        string Refused(bool refused) => refused ? "refused" : "**accepted**";

        (string Label, RestartSurvival? Result)[] sessions =
            [("in-memory", Of(ScenarioNames.SessionMemory)), ("SQLite", Of(ScenarioNames.SessionSqlite)), ("Redis", Of(ScenarioNames.SessionRedis))];
        string session = sessions.Any(s => s.Result is not null)
            ? "still signed in after the target is killed and restarted: " + string.Join(", ", sessions.Where(s => s.Result is not null).Select(s => $"{s.Label} {Count(s.Result!)}"))
              + "; signed out before the restart, replayed after it: " + string.Join(", ", sessions.Where(s => s.Result is not null).Select(s => $"{s.Label} {Refused(s.Result!.RevokedRefusedAfterRestart)}"))
            : "the SQLite and Redis stores' sessions (in-memory: none)";
        string bearer = Of(ScenarioNames.BearerEs256) is { } jwt
            ? $"ES256 tokens still accepted: {Count(jwt)} (the key ring kept in files; the API keeps only public keys)"
            : "every token (the API keeps only public keys)";
        string sid = Of(ScenarioNames.BearerEs256Sid) is { } s
            ? $"tokens still accepted: {Count(s)}; revoked before the restart, replayed after it: {Refused(s.RevokedRefusedAfterRestart)} (the list is in Redis)"
            : "every token; the revocation list as long as Redis keeps it";
        string cookie = Of(ScenarioNames.AspNetCookie) is { } c
            ? $"cookies still accepted: {Count(c)} (the Data Protection key ring persisted to files); signed out before the restart, replayed after it: {Refused(c.RevokedRefusedAfterRestart)}"
            : "every cookie, if the Data Protection key ring is persisted";
        return [session, bearer, sid, cookie];
    }

    /// <summary>The row "What a second server needs", with what it cost in the run.</summary>
    public static string[] SecondServer(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        SecondServerResult? Of(string name) => results.Concepts?.SecondServer.FirstOrDefault(r => r.Scenario == name);
        string Cost(SecondServerResult r) => string.Create(Invariant,
            $"measured, one instance → two behind nginx: {Signed(r.ExtraStoreCommandsPerRequest)} Redis commands per request ({r.One.StoreCommandsPerRequest:F2} → {r.Two.StoreCommandsPerRequest:F2}), server CPU per request {r.One.ServerCpuMicrosecondsPerRequest:F1} → {r.Two.ServerCpuMicrosecondsPerRequest:F1} µs, requests/s ×{r.ThroughputRatio:F2}¹");
        string session = "the same store (Redis, PostgreSQL; SQLite is one file on one machine)"
            + (Of(ScenarioNames.SessionRedis) is { } redis ? "; with Redis, " + Cost(redis) : "");
        string bearer = "the issuer's public keys (JWKS); HS256: the shared secret"
            + (Of(ScenarioNames.BearerEs256) is { } jwt ? "; with ES256, " + Cost(jwt) : "");
        string sid = "the keys and the same Redis (the revocation list)"
            + (Of(ScenarioNames.BearerEs256Sid) is { } s ? "; " + Cost(s) : "");
        return [session, bearer, sid, "the same Data Protection key ring"];
    }

    /// <summary>
    /// The sticky-session row: the busiest of two instances over the mean, per policy. Only a
    /// session store kept in one process needs stickiness; the other columns say so.
    /// </summary>
    public static string[]? Sticky(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<StickyResult> sticky = results.Concepts?.Sticky ?? [];
        if (sticky.Count == 0)
        {
            return null;
        }

        string session = string.Create(Invariant, $"needed only with the in-memory store. Two instances, {sticky[0].Clients} clients each from its own address, requests on the busiest instance over the mean: ")
            + string.Join("; ", sticky.Select(s => string.Create(Invariant, $"{s.Policy} {s.MaxOverMean:F2} (requests {string.Join(" / ", s.RequestsPerInstance.Select(n => n.ToString("N0", Invariant)))}, clients that changed instance: {s.ClientsOnSeveralInstances})")));
        string notNeeded = "not needed: any instance accepts the credential, round robin";
        return [session, notNeeded, notNeeded, notNeeded];
    }

    /// <summary>
    /// The row "Revocation seen by another instance": instance A revokes, how long until instance B
    /// refuses, from the revocation-latency run (ConceptsRevocationLatency) when this run found its
    /// file; otherwise the session and sid cells say they were not measured.
    /// </summary>
    public static string[] RevocationLatency(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<RevocationLatencyCell> measured = results.RevocationLatency?.Results ?? [];
        string Of(params string[] modes)
        {
            RevocationLatencyCell[] cells = [.. measured.Where(m => modes.Any(mode => m.Mode.StartsWith(mode, StringComparison.Ordinal)))];
            return cells.Length == 0
                ? NotMeasured
                : string.Join("; ", cells.Select(c => string.Create(Invariant, $"{c.Mode}: median {c.MedianMicroseconds:N0} µs, p99 {c.P99Microseconds:N0} µs"))) + "²";
        }

        return [Of(ConceptsRevocationLatency.NearCache, ConceptsRevocationLatency.Polled), "never before `exp` (nothing to look up)",
            Of(ConceptsRevocationLatency.PushedList, ConceptsRevocationLatency.Polled), "never before the ticket expires (nothing to look up)"];
    }

    /// <summary>The footnote under the table: where the second-server runs ran, honestly.</summary>
    public static string? Footnote(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        string? second = results.Concepts is { SecondServer.Count: > 0 } concepts
            ? $"¹ The same wrk load through nginx (round robin, keep-alive to the instances) to one instance, then to two on the same store and key ring; medians of {results.Rounds} interleaved runs each. Server CPU is the instances' together. Placement: {concepts.Placement}.\n\n"
            : null;
        string? latency = results.RevocationLatency is { } run
            ? string.Create(Invariant, $"² `{run.Command}`, {run.RanAt:yyyy-MM-dd HH:mm} UTC: two instances over one Redis; from instance A's revocation returning to instance B's first check that refuses ({run.Results[0].Samples:N0} samples per way of checking).\n\n")
            : null;
        return second + latency is { Length: > 0 } both ? both : null;
    }

    private static string Signed(double value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("F2", Invariant);
}
