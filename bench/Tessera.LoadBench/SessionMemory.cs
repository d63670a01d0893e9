using StackExchange.Redis;
using Tessera.InMemory;
using Tessera.Redis;
using Tessera.Sessions;

namespace Tessera.LoadBench;

/// <summary>
/// Memory per stored session: write N sessions through <see cref="SessionService"/> (each with its
/// own user id, client address and user agent, as sign-ins would) and divide the growth by N.
/// In process memory: the managed heap after a full collection, before and after. In Redis: INFO
/// memory's used_memory, before and after.
/// </summary>
public static class SessionMemory
{
    public static async Task<IReadOnlyList<SessionMemoryResult>> MeasureAsync(int count, RedisForBench? redis, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var results = new List<SessionMemoryResult>();
        log.WriteLine($"memory per session: {count:N0} sessions in memory");
        results.Add(await InMemoryAsync(count, cancellationToken));
        if (redis is not null)
        {
            log.WriteLine($"memory per session: {count:N0} sessions in Redis");
            results.Add(await InRedisAsync(count, redis, cancellationToken));
        }

        return results;
    }

    private static async Task<SessionMemoryResult> InMemoryAsync(int count, CancellationToken cancellationToken)
    {
        var store = new InMemorySessionStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        await FillAsync(sessions, count, cancellationToken);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        return new SessionMemoryResult("in-memory (InMemorySessionStore)", count, after - before, (after - before) / (double)count,
            "managed heap after a full GC, before and after (GC.GetTotalMemory(true))");
    }

    private static async Task<SessionMemoryResult> InRedisAsync(int count, RedisForBench redis, CancellationToken cancellationToken)
    {
        using IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(redis.Configuration);
        // A key prefix of its own, so sessions of the load scenarios (same server) are not counted.
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions { KeyPrefix = "memory:" }, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        long before = await redis.UsedMemoryAsync();
        await FillAsync(sessions, count, cancellationToken);
        long after = await redis.UsedMemoryAsync();
        return new SessionMemoryResult("Redis (RedisSessionStore)", count, after - before, (after - before) / (double)count,
            "INFO memory used_memory, before and after (record, secret-hash index and per-user index keys)");
    }

    /// <summary>Signs <paramref name="count"/> users in, 32 at a time; the secrets are dropped (only the store keeps state).</summary>
    public static Task FillAsync(SessionService sessions, int count, CancellationToken cancellationToken) =>
        Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // A browser-like user agent and a documentation address, built per session as a request would.
            var client = new SessionClient($"198.51.100.{i % 250}", $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{120 + (i % 20)}.0.{i % 7000}.0 Safari/537.36");
            await sessions.CreateAsync(RandomIds.New128(), client, ct);
        });
}
