using System.Net;
using StackExchange.Redis;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>One real three-primary, three-replica Redis Cluster for the test classes of a collection, and two connections to it (two server instances).</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private IConnectionMultiplexer? _connection;
    private IConnectionMultiplexer? _second;

    public RedisCluster Cluster { get; } = new();

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Not started.");

    /// <summary>A second connection, as another Tessera instance has.</summary>
    public IConnectionMultiplexer SecondConnection => _second ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await Cluster.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(Cluster.Configuration);
        _second = await TesseraRedisConnection.ConnectAsync(Cluster.Configuration);
    }

    public async Task DisposeAsync()
    {
        foreach (IConnectionMultiplexer? connection in new[] { _connection, _second })
        {
            if (connection is not null)
            {
                await RedisClusterUserIndexWait.CloseAsync(connection);
                await connection.DisposeAsync();
            }
        }

        await Cluster.DisposeAsync();
    }

    /// <summary>Every key under <paramref name="prefix"/> on the primaries (a replica holds copies; a node lists only its own slots).</summary>
    public static async Task<List<string>> KeysAsync(IConnectionMultiplexer connection, string prefix)
    {
        var keys = new List<string>();
        foreach (EndPoint endpoint in connection.GetEndPoints())
        {
            IServer server = connection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            await foreach (RedisKey key in server.KeysAsync(pattern: prefix + "*", pageSize: 500))
            {
                keys.Add(key!);
            }
        }

        return keys;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}
