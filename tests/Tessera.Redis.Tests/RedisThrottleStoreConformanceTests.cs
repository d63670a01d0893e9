using Tessera.Stores.Conformance;
using Tessera.Throttling;

namespace Tessera.Redis.Tests;

/// <summary>The conformance suite against a real Redis: its expiry runs on Redis's clock, so time passes for real (short windows).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisThrottleStoreConformanceTests(RedisFixture redis) : ThrottleStoreConformanceTests
{
    protected override TimeSpan ShortWindow => TimeSpan.FromMilliseconds(400);

    // A round trip on a loaded machine: the window's end is computed from this clock plus what Redis says is left.
    protected override TimeSpan Tolerance => TimeSpan.FromSeconds(1);

    protected override TimeProvider Time => TimeProvider.System;

    protected override ValueTask<IThrottleStore> CreateStoreAsync() =>
        ValueTask.FromResult<IThrottleStore>(new RedisThrottleStore(redis.Connection, RedisFixture.UniquePrefix(), -1, TimeProvider.System));

    protected override Task PassAsync(TimeSpan duration) => Task.Delay(duration);
}
