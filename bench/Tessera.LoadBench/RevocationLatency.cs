using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.LoadBench;

/// <summary>
/// Revocation latency across two instances (issue #13): two in-process instances, each with its own
/// Redis connection (multiplexer), store, pub/sub feed, near cache and pushed revocation list, over
/// one real Redis (<see cref="RedisForBench"/>). Per sample: a fresh session that B holds (its near
/// cache has it, its list says "not revoked"); A revokes it; the clock starts when A's
/// <c>RevokeAsync</c> returns and stops at B's first check that refuses. B checks as fast as it can
/// (yielding the thread between checks, so the feed's thread gets the CPU).
/// Three ways B can check: <c>pushed list</c> (the <c>sid</c> check of a resource server,
/// <see cref="PushedSessionRevocationList"/>), <c>near cache</c> (a cookie request on B:
/// <see cref="NearCachedSessionStore"/> + the session core), and <c>polled</c> (one EXISTS per check,
/// <see cref="RedisSessionRevocationList"/>: refused by the first check after the revocation, the cost is a round trip every request).
/// Run: <c>dotnet run -c Release --project bench/Tessera.LoadBench -- --revocation-latency [N] [--quick] [--out DIR]</c>.
/// </summary>
public static class RevocationLatency
{
    private static readonly SessionClient Client = new("192.0.2.10", "Mozilla/5.0 (X11; Linux x86_64) Bench/1.0");
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    /// <summary>Runs the measurement with the arguments after <c>--revocation-latency</c>; writes <c>revocation-latency.json</c>.</summary>
    public static async Task<int> RunAsync(string[] args, string root, TextWriter log, CancellationToken cancellationToken)
    {
        bool quick = args.Contains("--quick");
        int at = Array.IndexOf(args, "--revocation-latency");
        int samples = at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : quick ? 50 : 1000;
        int outAt = Array.IndexOf(args, "--out");
        string output = outAt >= 0 && outAt + 1 < args.Length ? args[outAt + 1] : Path.Combine(root, "artifacts", "load");
        if (samples < 1)
        {
            log.WriteLine("error: --revocation-latency needs at least one sample");
            return 2;
        }

        await using RedisForBench redis = await RedisForBench.StartAsync(cores: null, cancellationToken);
        await using Instance a = await Instance.StartAsync(redis.Configuration, "a");
        await using Instance b = await Instance.StartAsync(redis.Configuration, "b");
        await a.UntilLocalAsync(cancellationToken);
        await b.UntilLocalAsync(cancellationToken);

        var results = new List<RevocationLatencyResult>();
        foreach (string mode in new[] { "pushed list", "near cache", "polled (EXISTS per check)" })
        {
            log.WriteLine($"revocation latency: {mode}, {samples} samples");
            var latencies = new List<double>(samples);
            for (int i = 0; i < samples; i++)
            {
                latencies.Add(await SampleAsync(mode, a, b, cancellationToken));
            }

            latencies.Sort();
            results.Add(new RevocationLatencyResult(mode, samples, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies[^1]));
        }

        string command = "dotnet run -c Release --project bench/Tessera.LoadBench --" + string.Concat(args.Select(x => " " + x));
        Directory.CreateDirectory(output);
        string file = Path.Combine(output, "revocation-latency.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new RevocationLatencyRun(command, quick, Environment.ProcessorCount, DateTimeOffset.UtcNow, results),
            new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        log.WriteLine($"wrote {file}");
        log.Write(Table(results, command));
        return 0;
    }

    /// <summary>The markdown table of <paramref name="results"/>, with the command that produced them.</summary>
    public static string Table(IReadOnlyList<RevocationLatencyResult> results, string command)
    {
        var table = new System.Text.StringBuilder();
        table.Append("| instance B checks with | samples | median | p99 | max |\n|---|---:|---:|---:|---:|\n");
        foreach (RevocationLatencyResult r in results)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {r.Mode} | {r.Samples} | {r.MedianMicroseconds:N0} µs | {r.P99Microseconds:N0} µs | {r.MaxMicroseconds:N0} µs |\n");
        }

        return table.Append(CultureInfo.InvariantCulture, $"\nFrom the time `RevokeAsync` returns on instance A until instance B's first refusing check; `{command}`.\n").ToString();
    }

    private static async Task<double> SampleAsync(string mode, Instance a, Instance b, CancellationToken cancellationToken)
    {
        IssuedSession issued = await a.Sessions.CreateAsync("bench-user-" + Guid.NewGuid().ToString("N"), Client, cancellationToken);
        string sid = issued.Session.Handle;
        // B holds the session and has checked the sid: the state a busy instance is in.
        if (!(await b.Sessions.ValidateAsync(issued.Secret, Client, cancellationToken)).Succeeded
            || await b.Pushed.IsRevokedAsync(sid, cancellationToken) || await b.Polled.IsRevokedAsync(sid, cancellationToken))
        {
            throw new InvalidOperationException("Instance B does not accept the fresh session.");
        }

        Func<ValueTask<bool>> refused = mode switch
        {
            "pushed list" => () => b.Pushed.IsRevokedAsync(sid, cancellationToken),
            "near cache" => async () => !(await b.Sessions.ValidateAsync(issued.Secret, Client, cancellationToken)).Succeeded,
            _ => () => b.Polled.IsRevokedAsync(sid, cancellationToken),
        };

        if (!b.Pushed.AnswersLocally || !b.NearCache.AnswersLocally)
        {
            throw new InvalidOperationException("Instance B's feed is not connected: the pushed numbers would be polled ones.");
        }

        await a.Store.RevokeAsync(sid, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, cancellationToken);
        long returned = Stopwatch.GetTimestamp();
        while (!await refused())
        {
            if (Stopwatch.GetElapsedTime(returned) > GiveUp)
            {
                throw new TimeoutException($"Instance B still accepted a session revoked {GiveUp} ago ({mode}).");
            }

            await Task.Yield();
        }

        return Stopwatch.GetElapsedTime(returned).TotalMicroseconds;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>One instance: its own connection, store, feed, near cache and the two kinds of revocation list.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private Instance(IConnectionMultiplexer connection, RedisSessionStore store, RedisSessionChangeFeed feed, NearCachedSessionStore nearCache,
            RedisSessionRevocationList polled, PushedSessionRevocationList pushed)
        {
            Connection = connection;
            Store = store;
            Feed = feed;
            NearCache = nearCache;
            Polled = polled;
            Pushed = pushed;
            Sessions = new SessionService(nearCache, new TesseraSessionOptions(), TimeProvider.System);
        }

        public IConnectionMultiplexer Connection { get; }

        public RedisSessionStore Store { get; }

        public RedisSessionChangeFeed Feed { get; }

        public NearCachedSessionStore NearCache { get; }

        public RedisSessionRevocationList Polled { get; }

        public PushedSessionRevocationList Pushed { get; }

        public SessionService Sessions { get; }

        public static async Task<Instance> StartAsync(string configuration, string name)
        {
            const string prefix = "latency:";
            IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync($"{configuration},name=bench-{name}");
            var store = new RedisSessionStore(connection, new RedisSessionStoreOptions { KeyPrefix = prefix }, TimeProvider.System);
            var feed = new RedisSessionChangeFeed(connection, prefix);
            var polled = new RedisSessionRevocationList(connection, prefix);
            return new Instance(connection, store, feed,
                NearCachedSessionStore.Create(store, feed, new SessionNearCacheOptions(), TimeProvider.System),
                polled, new PushedSessionRevocationList(feed, polled, polled, new PushedRevocationListOptions(), TimeProvider.System));
        }

        public async Task UntilLocalAsync(CancellationToken cancellationToken)
        {
            long start = Stopwatch.GetTimestamp();
            while (!(NearCache.AnswersLocally && Pushed.AnswersLocally))
            {
                if (Stopwatch.GetElapsedTime(start) > GiveUp)
                {
                    throw new TimeoutException("The session change feed did not connect.");
                }

                await Task.Delay(10, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Pushed.Dispose();
            NearCache.Dispose();
            Feed.Dispose();
            await Connection.DisposeAsync();
        }
    }
}

/// <summary>One way of checking on instance B: latency from A's revocation returning to B's first refusal (µs).</summary>
public sealed record RevocationLatencyResult(string Mode, int Samples, double MedianMicroseconds, double P99Microseconds, double MaxMicroseconds);

/// <summary>What <c>revocation-latency.json</c> holds.</summary>
public sealed record RevocationLatencyRun(string Command, bool Quick, int ProcessorCount, DateTimeOffset RanAt, IReadOnlyList<RevocationLatencyResult> Results);
