using System.Diagnostics;
using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>One <c>redis-server --cluster-enabled yes</c> of a <see cref="RedisCluster"/>: its client port and cluster-bus port are both chosen free (the bus port is given explicitly, not port + 10000, which may be past 65535).</summary>
public sealed class RedisClusterNode
{
    internal const string Cli = "/usr/bin/redis-cli";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private Process? _process;

    private RedisClusterNode(string directory, int port)
    {
        DataDirectory = directory;
        Port = port;
    }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>nodes.conf and redis.log.</summary>
    public string DataDirectory { get; }

    public bool IsRunning => _process is { HasExited: false };

    internal static async Task<RedisClusterNode> StartAsync(string directory, int nodeTimeoutMilliseconds)
    {
        Directory.CreateDirectory(directory);
        // A free port can be taken by someone else between our probe and Redis binding it: try again.
        for (int attempt = 1; ; attempt++)
        {
            var node = new RedisClusterNode(directory, LoopbackPort.Free());
            try
            {
                await node.LaunchAsync(LoopbackPort.Free(), nodeTimeoutMilliseconds);
                return node;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await node.KillAsync();
            }
        }
    }

    /// <summary>Kills the node without warning (SIGKILL) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        ProcessReaper.Forget(process);
        process.Dispose();
        _process = null;
    }

    private async Task LaunchAsync(int busPort, int nodeTimeoutMilliseconds)
    {
        string executable = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "/usr/local/bin/redis-server";
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = DataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes",
            "--cluster-enabled", "yes", "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-config-file", Path.Combine(DataDirectory, "nodes.conf"),
            "--cluster-node-timeout", nodeTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--dir", DataDirectory, "--logfile", "redis.log", "--daemonize", "no",
            "--appendonly", "no", "--save", "",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ProcessReaper.Watch(process);
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start (code {process.ExitCode}): {ReadLog()}");
            }

            try
            {
                if (await RedisCluster.CommandAsync(Port, "PING") == "PONG")
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"redis-server did not answer within {StartTimeout.TotalSeconds} s: {ReadLog()}");
            }

            await Task.Delay(50);
        }
    }

    private string ReadLog()
    {
        string log = Path.Combine(DataDirectory, "redis.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
    }
}
