using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Testing.Servers;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free 127.0.0.1 port, with its data in a
/// temporary folder and persistence on (append-only file, fsync on every write, no RDB snapshots),
/// so <see cref="StopAsync"/> then <see cref="StartAsync"/> restarts it on the same port with the
/// same data. Stopped and deleted on dispose; a watchdog kills it if the test process dies first.
/// Use it as an xunit fixture (<see cref="IAsyncLifetime"/>) or start it by hand.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private LoopbackProcess? _process;
    private int _port;

    public RedisServer() =>
        DataDirectory = Path.Combine(Path.GetTempPath(), "tessera-redis-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Where the append-only file and the log live.</summary>
    public string DataDirectory { get; }

    /// <summary>The port, chosen at the first start and kept across restarts.</summary>
    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The server has not been started.");

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Starts the server, or restarts it on the same port with the same data.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        if (_process is { } crashed)
        {
            await crashed.KillAsync();
        }

        if (_port != 0)
        {
            _process = await LaunchAsync(_port);
            return;
        }

        (_process, _port) = await LoopbackPort.WithFreePortAsync(async port => (await LaunchAsync(port), port));
    }

    /// <summary>Stops the server cleanly (SHUTDOWN: the append-only file is flushed) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            try
            {
                await SendAsync(_port, "SHUTDOWN\r\n", TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // Not answering: killed below.
            }

            await process.WaitForExitAsync(StopTimeout); // still running after it: killed below
        }

        await process.KillAsync();
        _process = null;
    }

    /// <summary>Kills the server without warning (a crash); with fsync on every write no acknowledged write is lost.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.KillAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary folder: best effort.
        }
    }

    /// <summary>Sends one inline command and returns the first line of the answer (e.g. <c>INFO memory</c> is read whole by <see cref="InfoAsync"/>).</summary>
    public async Task<string> CommandAsync(string inlineCommand) => (await SendAsync(Port, inlineCommand + "\r\n", TimeSpan.FromSeconds(30))).Split("\r\n")[0];

    /// <summary>The <c>INFO</c> section as name → value.</summary>
    public async Task<IReadOnlyDictionary<string, string>> InfoAsync(string section)
    {
        string answer = await SendAsync(Port, $"INFO {section}\r\n", TimeSpan.FromSeconds(30), untilBulkComplete: true);
        return answer.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    private Task<LoopbackProcess> LaunchAsync(int port) =>
        RedisProcess.StartAsync(DataDirectory, port, ["--appendonly", "yes", "--appendfsync", "always"], () => AnswersPingAsync(port));

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            return (await SendAsync(port, "PING\r\n", TimeSpan.FromSeconds(2))).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return false; // not listening yet (or still loading the append-only file)
        }
    }

    private static async Task<string> SendAsync(int port, string command, TimeSpan timeout, bool untilBulkComplete = false)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command), cancel.Token);
        var answer = new StringBuilder();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                break; // SHUTDOWN closes the connection without an answer
            }

            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (!untilBulkComplete ? answer.ToString().Contains("\r\n", StringComparison.Ordinal) : IsCompleteBulk(answer.ToString()))
            {
                break;
            }
        }

        return answer.ToString();
    }

    // A RESP bulk string: "$<length>\r\n<bytes>\r\n".
    private static bool IsCompleteBulk(string answer)
    {
        int header = answer.IndexOf("\r\n", StringComparison.Ordinal);
        if (header < 0 || answer[0] != '$')
        {
            return header >= 0;
        }

        int length = int.Parse(answer.AsSpan(1, header - 1), System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetByteCount(answer) >= header + 2 + length + 2;
    }
}
