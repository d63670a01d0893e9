using StackExchange.Redis;

namespace Tessera.Redis;

/// <summary>
/// Whether a connection reaches a Redis Cluster, and whether a key prefix pins every key to one
/// slot. Redis hashes only what is between the first <c>{</c> and the next <c>}</c> when that is
/// not empty (Redis Cluster specification, "Hash tags").
/// </summary>
internal static class RedisClusterDetection
{
    /// <summary>True when a connected server of <paramref name="redis"/> runs in cluster mode (an unconnected one tells nothing yet).</summary>
    public static bool ReachesACluster(IConnectionMultiplexer redis) =>
        redis.GetServers().Any(server => server.IsConnected && server.ServerType == ServerType.Cluster);

    /// <summary>True when <paramref name="prefix"/> holds a non-empty hash tag, so every key built on it shares one slot.</summary>
    public static bool PrefixHasHashTag(string prefix)
    {
        int open = prefix.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        int close = prefix.IndexOf('}', open + 1);
        return close > open + 1;
    }
}
