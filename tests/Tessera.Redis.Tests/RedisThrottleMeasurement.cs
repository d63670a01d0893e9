using System.Diagnostics;
using System.Globalization;
using Tessera.InMemory;
using Tessera.Throttling;
using Xunit.Abstractions;

namespace Tessera.Redis.Tests;

/// <summary>
/// What a rate-limited request pays to count in Redis rather than in memory: one increment (one
/// Lua script, one round trip) per request, timed one at a time over a loopback connection. Run:
/// <c>TESSERA_MEASURE=1 dotnet test tests/Tessera.Redis.Tests --filter FullyQualifiedName~RedisThrottleMeasurement --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Measurement")]
[Collection(RedisCollection.Name)]
public sealed class RedisThrottleMeasurement(RedisFixture redis, ITestOutputHelper output)
{
    private const int Warmup = 500;
    private const int Increments = 5_000;

    [MeasurementFact]
    public async Task CostOfOneIncrement()
    {
        var store = new RedisThrottleStore(redis.Connection, RedisFixture.UniquePrefix(), -1, TimeProvider.System);
        double[] inRedis = await TimeAsync(store);
        double[] inMemory = await TimeAsync(new InMemoryThrottleStore(TimeProvider.System));

        output.WriteLine($"redis-server {(await redis.Server.InfoAsync("server"))["redis_version"]}, {Increments} sequential increments after {Warmup} warm-up ones, 64 client addresses");
        output.WriteLine(Describe("redis ", inRedis));
        output.WriteLine(Describe("memory", inMemory));
    }

    private static async Task<double[]> TimeAsync(IThrottleStore store)
    {
        var times = new double[Increments];
        for (int i = -Warmup; i < Increments; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await store.IncrementAsync($"rate:tessera-sign-in:203.0.113.{i & 63}", TimeSpan.FromMinutes(1), 1, CancellationToken.None);
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        Array.Sort(times);
        return times;
    }

    private static string Describe(string name, double[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: median {sorted[sorted.Length / 2]:F0} µs, p90 {sorted[sorted.Length * 9 / 10]:F0} µs, p99 {sorted[sorted.Length * 99 / 100]:F0} µs, mean {sorted.Average():F0} µs");
}
