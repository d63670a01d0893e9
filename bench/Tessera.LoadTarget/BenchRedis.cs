using StackExchange.Redis;
using Tessera.Redis;

namespace Tessera.LoadTarget;

/// <summary>The connection to the harness's Redis, with Tessera's connection settings.</summary>
public static class BenchRedis
{
    public static async Task<IConnectionMultiplexer> ConnectAsync(TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await TesseraRedisConnection.ConnectAsync(options.RedisConfiguration ?? throw new ArgumentException("this scenario needs --redis CONFIG"));
    }
}
