using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// Debian's nginx as a load balancer on a free 127.0.0.1 port: a foreground master process with
/// its own configuration, pid, logs and temporary files in a temporary folder (<c>-p</c>/<c>-c</c>,
/// nothing from /etc/nginx), killed and its folder deleted when disposed.
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NginxBalancer(string folder, int port, Process process)
    {
        Folder = folder;
        Port = port;
        _process = process;
    }

    public string Folder { get; }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>One line per request: client, request, status, the upstreams tried and their statuses.</summary>
    public string AccessLog => ReadShared(Path.Combine(Folder, "logs", "access.log"));

    public string ErrorLog => ReadShared(Path.Combine(Folder, "logs", "error.log"));

    /// <summary>Starts nginx with the documented <paramref name="example"/> in front of <paramref name="upstreamPorts"/>.</summary>
    public static Task<NginxBalancer> StartAsync(string example, IReadOnlyList<int> upstreamPorts)
    {
        int port = LoopbackPort.Free();
        return StartSiteAsync(NginxConfig.Site(example, port, upstreamPorts), port);
    }

    /// <summary>
    /// Starts nginx with <paramref name="siteText"/>, an http-block fragment that listens on
    /// 127.0.0.1:<paramref name="port"/> (and maybe elsewhere); returns once that port accepts.
    /// </summary>
    public static async Task<NginxBalancer> StartSiteAsync(string siteText, int port)
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-cluster-tests", "nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        DirectoryInfo temp = Directory.CreateDirectory(Path.Combine(folder, "temp"));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The cluster tests run Debian's nginx.");
        }

        temp.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;
        string site = Path.Combine(folder, "tessera.conf");
        await File.WriteAllTextAsync(site, siteText);
        string main = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(main, NginxConfig.MainFile(folder, site));

        var start = new ProcessStartInfo(NginxBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        // -e: the start-up error log, before the configuration names its own (else /var/log/nginx).
        foreach (string argument in (string[])["-e", Path.Combine(folder, "logs", "error.log"), "-p", folder + "/", "-c", main])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var balancer = new NginxBalancer(folder, port, process);
        process.OutputDataReceived += (_, line) => balancer.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) => balancer.OnLine(line.Data);
        process.Start();
        ProcessReaper.Watch(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await balancer.WaitUntilAcceptingAsync();
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }

        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        ProcessReaper.Forget(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; a worker still closing a file must not fail the run.
        }
    }

    private static string NginxBinary() =>
        File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
        : throw new InvalidOperationException("nginx is not installed: run ./test.sh, which installs Debian's nginx package (or apt-get install nginx).");

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        throw new InvalidOperationException($"nginx did not start on port {Port}. Output:\n{output}\nError log:\n{ErrorLog}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
