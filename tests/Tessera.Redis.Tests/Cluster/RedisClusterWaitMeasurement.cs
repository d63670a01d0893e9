using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Tessera.Testing.Servers;
using Xunit.Abstractions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// How long a sign-in's user-index WAIT takes on a freshly started cluster (#13: on a loaded
/// machine a 500 ms WAIT missed once on a fresh cluster). Each user-index write and its
/// <c>WAIT 1 1000</c> go over the dedicated connection, as a sign-in's do; the first sign-ins right
/// after the cluster reports ready, then sequential ones and eight at a time. Run:
/// <c>TESSERA_MEASURE=1 dotnet test tests/Tessera.Redis.Tests --filter "FullyQualifiedName~RedisClusterWaitMeasurement" --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Measurement")]
public sealed class RedisClusterWaitMeasurement(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task WaitLatencyOnAFreshCluster()
    {
        await using var cluster = new RedisCluster();
        await cluster.StartAsync();
        IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(cluster.Configuration);
        try
        {
            RedisClusterUserIndexWait wait = RedisClusterUserIndexWait.For(connection);
            var keys = new RedisKeys("m:", cluster: true);
            int n = 0;
            async Task<double> OneAsync()
            {
                int i = Interlocked.Increment(ref n);
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                long started = Stopwatch.GetTimestamp();
                long acknowledged = await wait.WriteAndWaitAsync(RedisClusterSessionScripts.AddToUser, keys.User("u" + i.ToString(CultureInfo.InvariantCulture)),
                    [now, "h" + i.ToString(CultureInfo.InvariantCulture), now + 60_000], 1, TimeSpan.FromSeconds(1), new StrongBox<bool>(), CancellationToken.None);
                double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return acknowledged >= 1 ? ms : double.PositiveInfinity;
            }

            var first = new List<double>();
            for (int i = 0; i < 10; i++)
            {
                first.Add(await OneAsync());
            }

            var sequential = new List<double>();
            for (int i = 0; i < 500; i++)
            {
                sequential.Add(await OneAsync());
            }

            var parallel = new List<double>();
            for (int round = 0; round < 60; round++)
            {
                parallel.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OneAsync())));
            }

            Report("first 10 after ready", first);
            Report("500 sequential", sequential);
            Report("480, 8 at a time", parallel);
        }
        finally
        {
            await RedisClusterUserIndexWait.CloseAsync(connection);
            await connection.DisposeAsync();
        }
    }

    private void Report(string name, List<double> ms)
    {
        double[] sorted = [.. ms.Order()];
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {At(0.5):F2} ms, p99 {At(0.99):F2} ms, max {sorted[^1]:F2} ms, over 100 ms {ms.Count(m => m > 100)}, over 500 ms {ms.Count(m => m > 500)}, not acknowledged in 1 s {ms.Count(double.IsInfinity)}"));
    }
}
