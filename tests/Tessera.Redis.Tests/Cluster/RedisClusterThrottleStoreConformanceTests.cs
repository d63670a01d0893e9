using Tessera.Stores.Conformance;
using Tessera.Throttling;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>The throttle conformance suite against a real Redis Cluster: one key per script, so each counter lives on the primary owning its slot.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterThrottleStoreConformanceTests(RedisClusterFixture cluster) : ThrottleStoreConformanceTests
{
    protected override TimeSpan ShortWindow => TimeSpan.FromMilliseconds(400);

    // A round trip on a loaded machine: the window's end is computed from this clock plus what Redis says is left.
    protected override TimeSpan Tolerance => TimeSpan.FromSeconds(1);

    protected override TimeProvider Time => TimeProvider.System;

    protected override ValueTask<IThrottleStore> CreateStoreAsync() =>
        ValueTask.FromResult<IThrottleStore>(new RedisThrottleStore(cluster.Connection, RedisFixture.UniquePrefix(), -1, TimeProvider.System));

    protected override Task PassAsync(TimeSpan duration) => Task.Delay(duration);
}
