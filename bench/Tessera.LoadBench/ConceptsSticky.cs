using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tessera.LoadBench;

/// <summary>
/// Sticky-session imbalance, measured: nginx over two instances with a balancing policy, and
/// <c>clients</c> clients in a closed loop (one request at a time each), every client connecting
/// from its own loopback address (127.10.x.y: Linux routes all of 127.0.0.0/8 to lo; wrk cannot
/// choose a source address, so this is a C# loop whose connections are bound in
/// <see cref="SocketsHttpHandler.ConnectCallback"/>). Each response names the instance that
/// answered (nginx's <c>$upstream_addr</c>); the tallies give requests and clients per instance.
/// </summary>
public static class ConceptsSticky
{
    /// <summary>The policies compared: name, the upstream directive, whether the docs' route cookie is the key.</summary>
    public static IReadOnlyList<(string Name, string Directive, bool RouteCookie)> Policies { get; } =
    [
        ("round robin", "", false),
        ("client address, consistent hash", "hash $remote_addr consistent;", false),
        ("route cookie, consistent hash (docs/nginx/sticky.conf)", "hash $tessera_route consistent;", true),
    ];

    public static async Task<IReadOnlyList<StickyResult>> MeasureAsync(
        ConceptsSecondServer.Pair pair, int clients, TimeSpan duration, string? loadCores, string workFolder, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(log);
        Uri[] instances = [pair.First.Address, pair.Second.Address];
        var results = new List<StickyResult>();
        foreach ((string name, string directive, bool routeCookie) in Policies)
        {
            await using ConceptsNginx nginx = await ConceptsNginx.StartAsync(workFolder, instances, directive, routeCookie, loadCores, cancellationToken);
            StickyResult result = await RunAsync(name, directive, nginx.Address, instances, pair.Credentials, clients, duration, cancellationToken);
            log.WriteLine($"sticky: {name}: requests per instance {string.Join(" / ", result.RequestsPerInstance)}, clients {string.Join(" / ", result.ClientsPerInstance)}, max/mean {result.MaxOverMean:F2}, clients moved {result.ClientsOnSeveralInstances}, errors {result.Errors}");
            results.Add(result);
        }

        return results;
    }

    /// <summary>The source address of client <paramref name="index"/>: distinct for up to 50,800 clients.</summary>
    public static IPAddress SourceAddress(int index) =>
        new([127, 10, (byte)(index / 254), (byte)((index % 254) + 1)]);

    private static async Task<StickyResult> RunAsync(
        string name, string directive, Uri balancer, Uri[] instances, IReadOnlyList<Credential> credentials, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        string[] keys = [.. instances.Select(i => $"{i.Host}:{i.Port}")];
        var perClient = new Dictionary<string, long>[clients];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async index =>
        {
            var tally = new Dictionary<string, long>(StringComparer.Ordinal);
            perClient[index] = tally;
            Credential credential = credentials[index % credentials.Count];
            IPAddress source = SourceAddress(index);
            using var handler = new SocketsHttpHandler
            {
                UseCookies = false,
                MaxConnectionsPerServer = 1,
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            using var client = new HttpClient(handler) { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(30) };
            string? route = null;
            while (clock.Elapsed < duration)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/bench/whoami");
                // One Cookie header: the credential's (when it is a cookie) and the route cookie, as a browser sends them.
                string? cookie = credential.HeaderName == "Cookie" ? credential.HeaderValue : null;
                if (credential.HeaderName != "Cookie")
                {
                    credential.AddTo(request);
                }

                cookie = route is null ? cookie : cookie is null ? route : cookie + "; " + route;
                if (cookie is not null)
                {
                    request.Headers.TryAddWithoutValidation("Cookie", cookie);
                }

                using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                route ??= response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set)
                    ? set.FirstOrDefault(c => c.StartsWith("tessera_route=", StringComparison.Ordinal))?.Split(';', 2)[0]
                    : null;
                string instance = response.Headers.TryGetValues(ConceptsNginx.InstanceHeader, out IEnumerable<string>? names) ? names.First() : "none";
                tally[instance] = tally.GetValueOrDefault(instance) + 1;
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }
        }));

        long[] requests = [.. keys.Select(k => perClient.Sum(t => t.GetValueOrDefault(k)))];
        int[] clientsPer = [.. keys.Select(k => perClient.Count(t => t.ContainsKey(k)))];
        int moved = perClient.Count(t => t.Count > 1);
        long unknown = perClient.Sum(t => t.Where(p => !keys.Contains(p.Key)).Sum(p => p.Value));
        return new StickyResult(name, directive, clients, requests, clientsPer, moved, errors + unknown);
    }
}
