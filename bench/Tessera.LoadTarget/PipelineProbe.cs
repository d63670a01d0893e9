using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Tessera.LoadTarget.Scenarios;

namespace Tessera.LoadTarget;

/// <summary>
/// <c>--probe a,b,c [ROUNDS]</c>: the scenarios' whole ASP.NET Core pipelines (hosting, routing,
/// authentication, authorization, the endpoint, its JSON answer) called in-process, without sockets
/// or Kestrel, in turns: short batches of each scenario, many rounds, each scenario's fastest and
/// median batch kept. Every scenario sees the same machine load at the same moments, so the ratios
/// hold on a busy machine where the wrk runs swing; a tool for finding where a row's CPU goes, not
/// the published load table. Scenarios that need Redis, SQLite or PostgreSQL are not offered.
/// With the cache-miss row comes its floor, one bare ES256 verification, in the same turns; and
/// every row also reports its mean, the process's CPU and the GC per request (<see cref="ProbeTotals"/>).
/// </summary>
public static class PipelineProbe
{
    private const int WarmupMilliseconds = 6000;

    // Unique tokens fetched at a time for the cache-miss row.
    private const int MissFeedBatch = 20_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> scenarios, int rounds, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(output);
        var targets = new List<(string Name, WebApplication App, InProcessServer Server, string? Header, string? Value)>();
        try
        {
            foreach (string name in scenarios)
            {
                var server = new InProcessServer();
                WebApplication app = await TargetApp.BuildAsync(new TargetOptions { Scenario = name, Url = "http://127.0.0.1:0" },
                    builder => builder.Services.AddSingleton<IServer>(server));
                await app.StartAsync();
                (string? header, string? value) = await SignInAsync(server);
                Response check = await server.SendAsync("GET", Whoami.Path, header, value, captureBody: true);
                if (check.Status != StatusCodes.Status200OK || !check.Body.Contains("\"u1\"", StringComparison.Ordinal) && name != ScenarioNames.None)
                {
                    throw new InvalidOperationException($"{name}: whoami answered {check.Status} {check.Body}");
                }

                targets.Add((name, app, server, header, value));
            }

            MissFeed?[] feeds = targets.Select(t => t.Name == ScenarioNames.BearerEs256Miss ? new MissFeed(t.Server) : null).ToArray();
            Action[] calls = targets.Select<(string Name, WebApplication App, InProcessServer Server, string? Header, string? Value), Action>((t, i) => feeds[i] is { } feed
                ? feed.Call
                : () => t.Server.SendAsync("GET", Whoami.Path, t.Header, t.Value, captureBody: false).GetAwaiter().GetResult()).ToArray();
            var names = targets.Select(t => t.Name).ToList();
            using BareEs256Verification? bare = BareRow(targets.Zip(feeds).Where(p => p.Second is not null).Select(p => (p.First.App, p.Second!)).FirstOrDefault());
            if (bare is not null)
            {
                // The miss row's floor, in the same turns: one bare ECDsa verification of a token of the row.
                calls = [.. calls, bare.VerifyOnce];
                feeds = [.. feeds, null];
                names.Add(BareRowName);
            }

            int[] batch = new int[calls.Length];
            for (int i = 0; i < calls.Length; i++)
            {
                // Warm up long enough for tiered compilation to reach its optimized code with its
                // profile (the background compiler is slow on a busy machine), then size the batch to about 0.5 ms.
                var warm = Stopwatch.StartNew();
                int n = 0;
                while (warm.ElapsedMilliseconds < WarmupMilliseconds)
                {
                    calls[i]();
                    n++;
                }

                batch[i] = Math.Max(1, (int)(n / (double)WarmupMilliseconds * 0.5));
            }

            var samples = calls.Select(_ => new List<double>(rounds)).ToArray();
            long[] allocated = new long[calls.Length];
            var totals = new ProbeTotals[calls.Length];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    // Issuing the next tokens is not part of the row: done before the clock starts.
                    feeds[i]?.Ensure(batch[i]);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    ProbeTotals.Snapshot at = ProbeTotals.Now();
                    long start = Stopwatch.GetTimestamp();
                    for (int k = 0; k < batch[i]; k++)
                    {
                        calls[i]();
                    }

                    TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                    totals[i].Add(at, ProbeTotals.Now(), elapsed, batch[i]);
                    double ns = elapsed.TotalNanoseconds / batch[i];
                    allocated[i] = (GC.GetAllocatedBytesForCurrentThread() - before) / batch[i];
                    samples[i].Add(ns);
                }
            }

            double baseMin = samples[0].Min();
            double baseMedian = Median(samples[0]);
            output.WriteLine($"{"scenario",-26} {"min ns",9} {"median ns",10} {"first/min",10} {"first/median",13} {"alloc B",8}  {ProbeTotals.Heading}");
            for (int i = 0; i < calls.Length; i++)
            {
                double min = samples[i].Min();
                double median = Median(samples[i]);
                output.WriteLine($"{names[i],-26} {min,9:F0} {median,10:F0} {baseMin / min,10:F3} {baseMedian / median,13:F3} {allocated[i],8}  {totals[i]}");
            }

            return 0;
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.App.StopAsync();
                await target.App.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The cache-miss row (#13): each call sends a token never sent before, from the scenario's own
    /// feed (<see cref="IssuingBench.FeedPath"/>), fetched in batches outside the timed batches
    /// (<see cref="Ensure"/>; during the warm-up a refill lands inside). A token that did not pass
    /// throws, as a failed check would.
    /// </summary>
    private sealed class MissFeed(InProcessServer server)
    {
        private readonly Queue<string> _tokens = new();

        /// <summary>At least <paramref name="count"/> unsent tokens are at hand.</summary>
        public void Ensure(int count)
        {
            while (_tokens.Count < count)
            {
                Response feed = server.SendAsync("POST", IssuingBench.FeedPath + "?count=" + MissFeedBatch, null, null, captureBody: true).GetAwaiter().GetResult();
                foreach (string line in feed.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    _tokens.Enqueue("Bearer " + line);
                }
            }
        }

        /// <summary>The next token, not taken.</summary>
        public string Peek()
        {
            Ensure(1);
            return _tokens.Peek();
        }

        public void Call()
        {
            Ensure(1);
            Response answer = server.SendAsync("GET", Whoami.Path, "Authorization", _tokens.Dequeue(), captureBody: false).GetAwaiter().GetResult();
            if (answer.Status != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"{ScenarioNames.BearerEs256Miss}: whoami answered {answer.Status}");
            }
        }
    }

    private const string BareRowName = "(bare ES256 verify)";

    private static BareEs256Verification? BareRow((WebApplication App, MissFeed Feed) miss)
    {
        if (miss.App is null)
        {
            return null;
        }

        string token = miss.Feed.Peek()["Bearer ".Length..];
        return BareEs256Verification.For(token, miss.App.Services.GetRequiredService<BenchTokenIssuer>().VerificationKeys);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<(string? Header, string? Value)> SignInAsync(InProcessServer server)
    {
        Response signedIn = await server.SendAsync("POST", SignIn.Path + "?user=u1", null, null, captureBody: true);
        if (signedIn.SetCookie is { } cookie)
        {
            return ("Cookie", cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
        }

        if (signedIn.Body.Length > 0 && signedIn.Body.TrimStart().StartsWith('{'))
        {
            using JsonDocument body = JsonDocument.Parse(signedIn.Body);
            return ("Authorization", "Bearer " + body.RootElement.GetProperty("accessToken").GetString());
        }

        return (null, null);
    }

    internal sealed record Response(int Status, string? SetCookie, string Body);

    /// <summary>An <see cref="IServer"/> that takes requests from the probe instead of a socket, through the host's own <see cref="IHttpApplication{TContext}"/>.</summary>
    internal sealed class InProcessServer : IServer
    {
        private Func<IFeatureCollection, Task>? _process;

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            _process = async features =>
            {
                TContext context = application.CreateContext(features);
                Exception? error = null;
                try
                {
                    await application.ProcessRequestAsync(context);
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }
                finally
                {
                    application.DisposeContext(context, error);
                }
            };
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }

        public async Task<Response> SendAsync(string method, string pathAndQuery, string? header, string? value, bool captureBody)
        {
            int question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            var request = new HttpRequestFeature
            {
                Method = method,
                Scheme = "http",
                Protocol = "HTTP/1.1",
                Path = question < 0 ? pathAndQuery : pathAndQuery[..question],
                QueryString = question < 0 ? string.Empty : pathAndQuery[question..],
                RawTarget = pathAndQuery,
            };
            request.Headers.Host = "127.0.0.1";
            if (header is not null)
            {
                request.Headers[header] = value;
            }

            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(request);
            var response = new HttpResponseFeature();
            features.Set<IHttpResponseFeature>(response);
            using var body = captureBody ? new MemoryStream() : null;
            features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body ?? Stream.Null));
            features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback, RemotePort = 40000, LocalPort = 5080 });
            features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
            await (_process ?? throw new InvalidOperationException("the host has not started")).Invoke(features);
            string? setCookie = response.Headers.SetCookie.Count > 0 ? response.Headers.SetCookie[0] : null;
            return new Response(response.StatusCode, setCookie, body is null ? string.Empty : System.Text.Encoding.UTF8.GetString(body.ToArray()));
        }
    }
}
