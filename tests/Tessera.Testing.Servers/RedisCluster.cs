using System.Diagnostics;
using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>
/// A real Redis Cluster on loopback: <see cref="Primaries"/> primaries with one replica each
/// (<c>redis-server --cluster-enabled yes</c> on free 127.0.0.1 ports, joined by
/// <c>redis-cli --cluster create … --cluster-replicas 1 --cluster-yes</c>), ready once every node
/// reports <c>cluster_state:ok</c> and every replica is in sync. No persistence (the replicas are
/// the copy); a node timeout of one second, so a killed primary's replica takes over within
/// seconds. Every node is stopped and its folder deleted on dispose; a watchdog kills them if the
/// test process dies first. Share one per test class or collection: it starts in a few seconds.
/// </summary>
public sealed class RedisCluster : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>How many primaries (each with one replica).</summary>
    public const int Primaries = 3;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    private readonly List<RedisClusterNode> _nodes = [];

    public RedisCluster() =>
        DataDirectory = Path.Combine(Path.GetTempPath(), "tessera-redis-cluster-tests", Guid.NewGuid().ToString("N"));

    /// <summary>One folder per node below this one (nodes.conf and the log).</summary>
    public string DataDirectory { get; }

    /// <summary>The cluster's node timeout (ms): how long a silent primary is given before its replica is promoted.</summary>
    public int NodeTimeoutMilliseconds { get; init; } = 1000;

    /// <summary>Every node, primaries and replicas, in start order (roles change with failovers).</summary>
    public IReadOnlyList<RedisClusterNode> Nodes => _nodes;

    /// <summary>A StackExchange.Redis configuration string naming every node: the client discovers the slot map from any of them.</summary>
    public string Configuration => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"));

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Starts the six nodes, creates the cluster and waits until it serves every slot.</summary>
    public async Task StartAsync()
    {
        if (_nodes.Count > 0)
        {
            throw new InvalidOperationException("The cluster has already been started.");
        }

        Directory.CreateDirectory(DataDirectory);
        for (int i = 0; i < Primaries * 2; i++)
        {
            _nodes.Add(await RedisClusterNode.StartAsync(Path.Combine(DataDirectory, $"node{i}"), NodeTimeoutMilliseconds));
        }

        await ExternalCommand.RunAsync(ExternalCommand.For(RedisClusterNode.Cli,
            ["--cluster", "create", .. _nodes.Select(n => $"127.0.0.1:{n.Port}"), "--cluster-replicas", "1", "--cluster-yes"]), TimeSpan.FromSeconds(60));
        await WaitUntilReadyAsync();
    }

    /// <summary>Waits until every running node reports <c>cluster_state:ok</c>, knows every node, and every replica's link to its primary is up.</summary>
    public async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        string last = "";
        while (deadline.Elapsed < ReadyTimeout)
        {
            last = await NotReadyBecauseAsync();
            if (last.Length == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The Redis Cluster was not ready within {ReadyTimeout.TotalSeconds} s: {last}");
    }

    /// <summary>Runs one command on the node listening on <paramref name="port"/> (redis-cli, arguments passed as they are) and returns its answer.</summary>
    public static async Task<string> CommandAsync(int port, params string[] arguments) =>
        (await ExternalCommand.RunAsync(ExternalCommand.For(RedisClusterNode.Cli, ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. arguments]), CommandTimeout)).Trim();

    /// <summary>The hash slot of <paramref name="key"/>, as Redis computes it (<c>CLUSTER KEYSLOT</c>).</summary>
    public async Task<int> KeySlotAsync(string key) =>
        int.Parse(await CommandAsync(Running().First().Port, "CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);

    /// <summary>The nodes as <paramref name="askedPort"/>'s <c>CLUSTER NODES</c> describes them.</summary>
    public static async Task<IReadOnlyList<RedisClusterNodeState>> NodesSeenByAsync(int askedPort) =>
        RedisClusterNodeState.Parse(await CommandAsync(askedPort, "CLUSTER", "NODES"));

    /// <summary>The port of the primary serving <paramref name="slot"/> now, and of its replica (as a running node sees them).</summary>
    public async Task<(int Primary, int Replica)> OwnersOfSlotAsync(int slot)
    {
        IReadOnlyList<RedisClusterNodeState> nodes = await NodesSeenByAsync(Running().First().Port);
        RedisClusterNodeState primary = nodes.Single(n => n.IsPrimary && !n.IsFailed && n.Slots.Any(r => r.From <= slot && slot <= r.To));
        RedisClusterNodeState replica = nodes.First(n => !n.IsPrimary && !n.IsFailed && n.PrimaryId == primary.Id);
        return (primary.Port, replica.Port);
    }

    /// <summary>Waits until the replica on <paramref name="replicaPort"/> has every write its primary on <paramref name="primaryPort"/> has (replication is asynchronous).</summary>
    public async Task WaitForReplicaAsync(int primaryPort, int replicaPort)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            long primaryOffset = Field(await CommandAsync(primaryPort, "INFO", "replication"), "master_repl_offset");
            long replicaOffset = Field(await CommandAsync(replicaPort, "INFO", "replication"), "slave_repl_offset");
            if (replicaOffset >= primaryOffset && primaryOffset > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"The replica on {replicaPort} did not catch up with {primaryPort}.");
    }

    /// <summary>Kills the node on <paramref name="port"/> without warning (a crashed primary).</summary>
    public async Task KillAsync(int port) => await _nodes.Single(n => n.Port == port).KillAsync();

    /// <summary>Waits until the node on <paramref name="port"/> calls itself a primary and the cluster is ready again.</summary>
    public async Task WaitUntilPrimaryAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if ((await NodesSeenByAsync(port)).Single(n => n.IsMyself).IsPrimary && (await NotReadyBecauseAsync()).Length == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The node on {port} was not promoted within {ReadyTimeout.TotalSeconds} s.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RedisClusterNode node in _nodes)
        {
            await node.KillAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary folder: best effort.
        }
    }

    private IEnumerable<RedisClusterNode> Running() => _nodes.Where(n => n.IsRunning);

    // Empty when ready, else what is missing (for the timeout message).
    private async Task<string> NotReadyBecauseAsync()
    {
        RedisClusterNode[] running = [.. Running()];
        foreach (RedisClusterNode node in running)
        {
            string info = await CommandAsync(node.Port, "CLUSTER", "INFO");
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return $"node {node.Port}: {info.Split('\n')[0].Trim()}";
            }

            IReadOnlyList<RedisClusterNodeState> seen = await NodesSeenByAsync(node.Port);
            if (seen.Count(n => !n.IsFailed) < running.Length)
            {
                return $"node {node.Port} knows {seen.Count(n => !n.IsFailed)} of {running.Length} nodes";
            }

            if (!seen.Single(n => n.IsMyself).IsPrimary)
            {
                string replication = await CommandAsync(node.Port, "INFO", "replication");
                if (!replication.Contains("master_link_status:up", StringComparison.Ordinal))
                {
                    return $"replica {node.Port} is not in sync yet";
                }
            }
        }

        return "";
    }

    private static long Field(string info, string name)
    {
        foreach (string line in info.Split('\n'))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(name.Length + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
