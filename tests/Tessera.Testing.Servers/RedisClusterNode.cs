using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>One <c>redis-server --cluster-enabled yes</c> of a <see cref="RedisCluster"/>: its client port and cluster-bus port are both chosen free (the bus port is given explicitly, not port + 10000, which may be past 65535).</summary>
public sealed class RedisClusterNode
{
    internal const string Cli = "/usr/bin/redis-cli";

    private LoopbackProcess? _process;

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

    internal static Task<RedisClusterNode> StartAsync(string directory, int nodeTimeoutMilliseconds)
    {
        Directory.CreateDirectory(directory);
        return LoopbackPort.WithFreePortAsync(async port =>
        {
            var node = new RedisClusterNode(directory, port);
            node._process = await RedisProcess.StartAsync(
                directory,
                port,
                [
                    "--cluster-enabled", "yes", "--cluster-port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
                    "--cluster-config-file", Path.Combine(directory, "nodes.conf"),
                    "--cluster-node-timeout", nodeTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture),
                    "--appendonly", "no",
                ],
                () => AnswersPingAsync(port));
            return node;
        });
    }

    /// <summary>Kills the node without warning (SIGKILL) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.KillAsync();
            _process = null;
        }
    }

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            return await RedisCluster.CommandAsync(port, "PING") == "PONG";
        }
        catch (InvalidOperationException)
        {
            return false; // not listening yet
        }
    }
}
