using Tessera.Testing.Servers;

namespace Tessera.LoadBench;

/// <summary>
/// Debian's nginx as the balancer of the second-server and sticky-session measurements, run as
/// tests/Tessera.Cluster.Tests runs it (<see cref="NginxProcess"/>: its own folder, nothing from
/// /etc/nginx, a free 127.0.0.1 port), on the load generator's cores, killed when disposed. Each
/// response names the instance that answered in <see cref="InstanceHeader"/> (nginx's <c>$upstream_addr</c>).
/// </summary>
public sealed class ConceptsNginx : IAsyncDisposable
{
    public const string InstanceHeader = "X-Bench-Instance";

    private readonly NginxProcess _nginx;

    private ConceptsNginx(NginxProcess nginx)
    {
        _nginx = nginx;
        Address = new Uri($"http://127.0.0.1:{nginx.Port}");
    }

    public Uri Address { get; }

    public static bool Installed => NginxProcess.Installed;

    /// <summary>
    /// nginx in front of <paramref name="upstreams"/> with <paramref name="policy"/> (an upstream
    /// directive such as <c>hash $remote_addr consistent;</c>, empty for round robin), keep-alive
    /// connections to the instances (as a production balancer keeps them), no access log.
    /// <paramref name="routeCookie"/>: docs/nginx/sticky.conf's route cookie handed out on a first request.
    /// </summary>
    public static async Task<ConceptsNginx> StartAsync(string workFolder, IReadOnlyList<Uri> upstreams, string policy, bool routeCookie, string? cores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        string folder = Path.Combine(workFolder, "nginx-" + Guid.NewGuid().ToString("N")[..8]);
        int port = LoopbackPort.Free();
        return new ConceptsNginx(await NginxProcess.StartAsync(
            folder, port, Configuration(folder, port, upstreams, policy, routeCookie), (binary, arguments) => CpuPinning.Start(cores, binary, arguments), cancellationToken));
    }

    /// <summary>The whole nginx.conf (public for the tests: the directives are what the doc states).</summary>
    public static string Configuration(string folder, int port, IReadOnlyList<Uri> upstreams, string policy, bool routeCookie)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        string servers = string.Concat(upstreams.Select(u => $"        server {u.Host}:{u.Port};\n"));
        // docs/nginx/sticky.conf's key: a route cookie handed out on the first request ($request_id).
        string maps = routeCookie
            ? """
                map $cookie_tessera_route $tessera_route {
                    ""      $request_id;
                    default $cookie_tessera_route;
                }
                map $cookie_tessera_route $tessera_route_cookie {
                    ""      "tessera_route=$request_id; Path=/; HttpOnly; SameSite=Lax";
                    default "";
                }
            """
            : "";
        string setCookie = routeCookie ? "            add_header Set-Cookie $tessera_route_cookie always;\n" : "";
        return NginxProcess.MainFile(folder, "warn", 4096, $$"""
                access_log off;
            {{maps}}
                upstream bench {
                    {{policy}}
            {{servers}}        keepalive 128;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://bench;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        add_header {{InstanceHeader}} $upstream_addr always;
            {{setCookie}}            }
                }
            """);
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
