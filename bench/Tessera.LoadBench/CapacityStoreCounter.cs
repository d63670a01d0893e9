namespace Tessera.LoadBench;

/// <summary>
/// Counts a scenario's store operations around each load run, for the capacity section (#13): the
/// commands Redis executed (<c>total_commands_processed</c>, less the <c>INFO</c> that read it; a Lua
/// script and each call inside it count, as in <see cref="ConceptsSecondServer"/>), or the statements
/// PostgreSQL executed in the scenario's own database (<see cref="PostgresForBench.StatementsAsync"/>).
/// What the other targets do meanwhile is idle work (feed heartbeats): on Redis it is counted too, a
/// few commands per second against thousands of requests.
/// </summary>
public sealed class CapacityStoreCounter : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<long>> _read;
    private readonly IAsyncDisposable? _owned;
    private readonly long _perRead;

    private CapacityStoreCounter(Func<CancellationToken, Task<long>> read, IAsyncDisposable? owned, long perRead)
    {
        _read = read;
        _owned = owned;
        _perRead = perRead;
    }

    /// <summary>A counter for <paramref name="scenario"/>'s store, or null when its store is not counted (in memory, SQLite, none).</summary>
    public static async Task<CapacityStoreCounter?> ForAsync(Scenario scenario, string? redisConfiguration, PostgresForBench? postgres, string? postgresConnection)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.NeedsPostgres && postgres is not null && postgresConnection is not null)
        {
            return new CapacityStoreCounter(ct => postgres.StatementsAsync(postgresConnection, ct), null, 0);
        }

        if (scenario.NeedsRedis && redisConfiguration is not null)
        {
            RedisCounters redis = await RedisCounters.ConnectAsync(redisConfiguration);
            return new CapacityStoreCounter(async _ => (await redis.ReadAsync()).Commands, redis, 1);
        }

        return null;
    }

    /// <summary>The store's counter now.</summary>
    public Task<long> ReadAsync(CancellationToken cancellationToken) => _read(cancellationToken);

    /// <summary>Operations per request between two readings, less what the first reading itself cost the store.</summary>
    public double PerRequest(long before, long after, long requests) =>
        Math.Max(0, after - before - _perRead) / (double)Math.Max(1, requests);

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
