using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.Testing.Servers;

/// <summary>
/// Debian's nginx as the cluster tests and the load bench run it: a foreground master process with
/// its configuration, pid, logs and temporary files in its own folder (<c>-p</c>/<c>-c</c>, nothing
/// from /etc/nginx), on a 127.0.0.1 port, watched by <see cref="ProcessReaper"/>, killed and its
/// folder deleted when disposed. <see cref="MainFile"/> writes the nginx.conf around the caller's
/// <c>http</c> directives.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    /// <summary>Where Debian's nginx package installs the binary.</summary>
    public const string Binary = "/usr/sbin/nginx";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly LoopbackProcess _process;

    private NginxProcess(string folder, int port, LoopbackProcess process)
    {
        Folder = folder;
        Port = port;
        _process = process;
    }

    /// <summary>Whether nginx is installed here.</summary>
    public static bool Installed => File.Exists(Binary);

    /// <summary>The folder holding nginx.conf, logs/ and temp/.</summary>
    public string Folder { get; }

    /// <summary>The 127.0.0.1 port <see cref="StartAsync"/> waited for.</summary>
    public int Port { get; }

    /// <summary>logs/error.log as it is now.</summary>
    public string ErrorLog => ReadShared(Path.Combine(Folder, "logs", "error.log"));

    /// <summary>logs/access.log as it is now (empty unless the configuration writes it there).</summary>
    public string AccessLog => ReadShared(Path.Combine(Folder, "logs", "access.log"));

    /// <summary>
    /// The whole nginx.conf for <paramref name="folder"/>: one worker (run as nobody when started by
    /// root), pid, error log at <paramref name="errorLogLevel"/> and every temporary path in the folder,
    /// then <paramref name="http"/> (access log, upstreams, servers or an include) inside <c>http { }</c>.
    /// </summary>
    public static string MainFile(string folder, string errorLogLevel, int workerConnections, string http)
    {
        // nginx started by root runs its workers as an unprivileged user; they write temporary
        // files in temp/, which StartAsync opens to them.
        string user = Environment.UserName == "root" ? "user nobody nogroup;" : "";
        return $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            {{user}}
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/logs/error.log {{errorLogLevel}};
            events { worker_connections {{workerConnections}}; }
            http {
                client_body_temp_path {{folder}}/temp/client_body;
                proxy_temp_path {{folder}}/temp/proxy;
                fastcgi_temp_path {{folder}}/temp/fastcgi;
                uwsgi_temp_path {{folder}}/temp/uwsgi;
                scgi_temp_path {{folder}}/temp/scgi;
            {{http}}
            }

            """;
    }

    /// <summary>
    /// Writes <paramref name="mainFile"/> (see <see cref="MainFile"/>) as <paramref name="folder"/>/nginx.conf,
    /// starts nginx on it and returns once 127.0.0.1:<paramref name="port"/> accepts connections.
    /// <paramref name="startInfo"/> (binary, arguments → start description) lets the load bench pin it
    /// to cores; by default nginx runs as it is.
    /// </summary>
    public static async Task<NginxProcess> StartAsync(
        string folder, int port, string mainFile, Func<string, IReadOnlyList<string>, ProcessStartInfo>? startInfo = null, CancellationToken cancellationToken = default)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Tessera's tests and load bench run Debian's nginx.");
        }

        if (!Installed)
        {
            throw new InvalidOperationException("nginx is not installed: run ./test.sh, which installs Debian's nginx package (or apt-get install nginx).");
        }

        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        DirectoryInfo temp = Directory.CreateDirectory(Path.Combine(folder, "temp"));
        temp.UnixFileMode = (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit; // for the workers (above)
        string main = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(main, mainFile, cancellationToken);

        // -e: the start-up error log, before the configuration names its own (else /var/log/nginx).
        string[] arguments = ["-e", Path.Combine(folder, "logs", "error.log"), "-p", folder + "/", "-c", main];
        ProcessStartInfo start = startInfo?.Invoke(Binary, arguments) ?? new ProcessStartInfo(Binary, arguments);
        start.WorkingDirectory = folder;
        LoopbackProcess process;
        try
        {
            process = await LoopbackProcess.StartAsync(
                $"nginx on port {port}", start, () => AcceptsAsync(port, cancellationToken), () => $"\nError log:\n{ReadShared(Path.Combine(folder, "logs", "error.log"))}", StartTimeout, cancellationToken);
        }
        catch
        {
            DeleteFolder(folder); // the error log is in the exception's message
            throw;
        }

        return new NginxProcess(folder, port, process);
    }

    /// <summary>Kills nginx and its workers and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.KillAsync();
        DeleteFolder(Folder);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; a worker still closing a file must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
            // Files nginx's workers (nobody) left behind; a temporary folder all the same.
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

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
}
