using System.Diagnostics;
using System.Globalization;
using Tessera.Testing.Servers;

namespace Tessera.LoadBench;

/// <summary>
/// Debian's redis-server for the Redis scenarios and the memory measurement: the test suite's
/// <see cref="RedisServer"/> (free loopback port, temporary folder, stopped at the end), with the
/// append-only file turned off (a benchmark needs no durability, and fsync on every write would
/// measure the disk), moved to the load generator's cores when pinning.
/// </summary>
public sealed class RedisForBench : IAsyncDisposable
{
    private readonly RedisServer _server;

    private RedisForBench(RedisServer server) => _server = server;

    public string Configuration => _server.Configuration;

    public static async Task<RedisForBench> StartAsync(string? cores, CancellationToken cancellationToken)
    {
        var server = new RedisServer();
        try
        {
            await server.StartAsync();
            await server.CommandAsync("CONFIG SET appendonly no");
            if (cores is not null)
            {
                await PinAsync(server.Port, cores, cancellationToken);
            }

            return new RedisForBench(server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>INFO memory's used_memory: what Redis's allocator holds for data and its own structures.</summary>
    public async Task<long> UsedMemoryAsync() =>
        long.Parse((await _server.InfoAsync("memory"))["used_memory"], CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    // redis-server names itself "redis-server 127.0.0.1:PORT"; taskset -a moves all its threads.
    private static async Task PinAsync(int port, string cores, CancellationToken cancellationToken)
    {
        string pid = (await RunAsync("pgrep", ["-f", $"redis-server 127.0.0.1:{port}"], cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Single();
        await RunAsync("taskset", ["-a", "-p", "-c", cores, pid.Trim()], cancellationToken);
    }

    private static async Task<string> RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        ProcessStartInfo start = CpuPinning.Start(null, program, args);
        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode})");
    }
}
