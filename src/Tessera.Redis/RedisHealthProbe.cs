using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>Answers when Redis answers a PING.</summary>
public sealed class RedisHealthProbe(IConnectionMultiplexer redis, int database = -1) : IStoreHealthProbe
{
    /// <inheritdoc />
    public string Name => "redis";

    /// <inheritdoc />
    public async ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => redis.GetDatabase(database).PingAsync(), cancellationToken).ConfigureAwait(false);
}
