using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// A browser-like client of the balancer: keeps its cookies and notes which instance
/// (<c>X-Tessera-Instance</c>) answered each request.
/// </summary>
public sealed class ClusterClient : IDisposable
{
    public const string InstanceHeader = "X-Tessera-Instance";

    private readonly CookieJarHandler _cookies;
    private readonly ConcurrentQueue<string> _answeredBy = new();

    /// <param name="localAddress">Connect from this loopback address (e.g. 127.0.0.2) to look like another client.</param>
    public ClusterClient(Uri balancer, IPAddress? localAddress = null)
    {
        _cookies = new CookieJarHandler(Sockets(localAddress));
        Http = new HttpClient(new InstanceRecorder(_cookies, _answeredBy)) { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.UserAgent.ParseAdd("TesseraClusterTests/1.0");
    }

    public HttpClient Http { get; }

    /// <summary>The instances that answered, one entry per response, in order.</summary>
    public IReadOnlyList<string> AnsweredBy => [.. _answeredBy];

    public string? Cookie(string name) => _cookies[name];

    /// <summary>A connection handler whose connections come from <paramref name="localAddress"/> (any loopback address) when given.</summary>
    public static SocketsHttpHandler Sockets(IPAddress? localAddress)
    {
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
        if (localAddress is not null)
        {
            sockets.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return sockets;
    }

    public void Dispose() => Http.Dispose();

    private sealed class InstanceRecorder(HttpMessageHandler inner, ConcurrentQueue<string> answeredBy) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues(InstanceHeader, out IEnumerable<string>? names))
            {
                answeredBy.Enqueue(names.First());
            }

            return response;
        }
    }
}
