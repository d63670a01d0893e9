using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Tessera.Testing.Servers;

namespace Tessera.LoadBench;

/// <summary>
/// Debian's nginx as the balancer of the second-server and sticky-session measurements, as
/// tests/Tessera.Cluster.Tests runs it: a foreground master with its own configuration, pid, logs
/// and temporary files in a folder (nothing from /etc/nginx), on a free 127.0.0.1 port, on the
/// load generator's cores, killed (by its process id) when disposed. Each response names the
/// instance that answered in <see cref="InstanceHeader"/> (nginx's <c>$upstream_addr</c>).
/// </summary>
public sealed class ConceptsNginx : IAsyncDisposable
{
    public const string InstanceHeader = "X-Bench-Instance";

    private readonly Process _process;
    private readonly string _folder;

    private ConceptsNginx(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static bool Installed => File.Exists(Binary);

    private static string Binary => "/usr/sbin/nginx";

    /// <summary>
    /// nginx in front of <paramref name="upstreams"/> with <paramref name="policy"/> (an upstream
    /// directive such as <c>hash $remote_addr consistent;</c>, empty for round robin), keep-alive
    /// connections to the instances (as a production balancer keeps them), no access log.
    /// <paramref name="routeCookie"/>: docs/nginx/sticky.conf's route cookie handed out on a first request.
    /// </summary>
    public static async Task<ConceptsNginx> StartAsync(string workFolder, IReadOnlyList<Uri> upstreams, string policy, bool routeCookie, string? cores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (!Installed || OperatingSystem.IsWindows())
        {
            throw new InvalidOperationException("nginx is not installed (Debian: apt-get install nginx; ./test.sh installs it)");
        }

        string folder = Path.Combine(workFolder, "nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        DirectoryInfo temp = Directory.CreateDirectory(Path.Combine(folder, "temp"));
        // Workers of an nginx started by root run as nobody and write temporary files here.
        temp.UnixFileMode = (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit;
        int port = LoopbackPort.Free();
        string main = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(main, Configuration(folder, port, upstreams, policy, routeCookie), cancellationToken);

        ProcessStartInfo start = CpuPinning.Start(cores, Binary, ["-e", Path.Combine(folder, "logs", "error.log"), "-p", folder + "/", "-c", main]);
        var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new ConceptsNginx(process, folder, port);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
                return nginx;
            }
            catch (SocketException) when (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                await nginx.DisposeAsync();
                string log = File.Exists(Path.Combine(folder, "logs", "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "logs", "error.log"), cancellationToken) : "";
                lock (output)
                {
                    throw new InvalidOperationException($"nginx did not start on port {port}:\n{output}\n{log}");
                }
            }
        }
    }

    /// <summary>The whole nginx.conf (public for the tests: the directives are what the doc states).</summary>
    public static string Configuration(string folder, int port, IReadOnlyList<Uri> upstreams, string policy, bool routeCookie)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        string user = Environment.UserName == "root" ? "user nobody nogroup;" : "";
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
        return $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            {{user}}
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/temp/client_body;
                proxy_temp_path {{folder}}/temp/proxy;
                fastcgi_temp_path {{folder}}/temp/fastcgi;
                uwsgi_temp_path {{folder}}/temp/uwsgi;
                scgi_temp_path {{folder}}/temp/scgi;
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
            }

            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder under the run's work folder, which is deleted at the end anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Files nginx's workers (nobody) left behind; the same.
        }
    }
}
