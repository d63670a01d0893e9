using Tessera.Replay;
using Tessera.Stores.Conformance;

namespace Tessera.Redis.Tests;

/// <summary>
/// The conformance suite against the replay store a Redis deployment gets (<see cref="ReplayStores.Over"/>
/// the Redis throttle store): marks expire on Redis's clock, so time passes for real.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisReplayStoreConformanceTests(RedisFixture redis) : ReplayStoreConformanceTests
{
    protected override TimeSpan ShortLifetime => ReplayMarkLifetime.Shortest;

    protected override ValueTask<IReplayStore> CreateStoreAsync() =>
        ValueTask.FromResult(ReplayStores.Over(new RedisThrottleStore(redis.Connection, RedisFixture.UniquePrefix(), -1, TimeProvider.System)));

    protected override Task PassAsync(TimeSpan duration) => Task.Delay(duration);
}
