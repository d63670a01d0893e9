using StackExchange.Redis;
using Tessera.Stores;
using Tessera.Throttling;

namespace Tessera.Redis;

/// <summary>
/// Throttle counters in Redis, shared by every instance that names the same Redis and key prefix:
/// N instances then give a client the configured budget, not N times it. One counter is one
/// string key (<c>{prefix}v1:throttle:{SHA-256 of the caller's key}</c>) that Redis expires when
/// its window ends; an increment is one Lua script (INCRBY, and PEXPIRE when the key has no expiry
/// yet), so the window opens with the first increment and later ones never extend it, on any
/// instance. An unreachable Redis is <see cref="StoreUnavailableException"/>: the caller decides
/// whether that refuses the request or counts locally.
/// </summary>
public sealed class RedisThrottleStore : IThrottleStore
{
    // KEYS[1] counter; ARGV[1] amount, ARGV[2] window (ms). Returns {count, ms left in the window}.
    private const string IncrementScript = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          left = tonumber(ARGV[2])
        end
        return {count, left}
        """;

    // KEYS[1] counter. Returns {count, ms left}, {0, 0} when absent.
    private const string ReadScript = """
        local count = redis.call('GET', KEYS[1])
        if not count then return {0, 0} end
        return {tonumber(count), redis.call('PTTL', KEYS[1])}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly int _database;
    private readonly TimeProvider _time;

    /// <summary>Counters in <paramref name="database"/> of <paramref name="redis"/> under <paramref name="keyPrefix"/>; every instance sharing the budget must use the same prefix. <paramref name="time"/> reports when a window ends.</summary>
    public RedisThrottleStore(IConnectionMultiplexer redis, string keyPrefix, int database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(time);
        _redis = redis;
        _keys = new RedisKeys(keyPrefix);
        _database = database;
        _time = time;
    }

    private IDatabase Database => _redis.GetDatabase(_database);

    /// <inheritdoc />
    public async ValueTask<ThrottleCount> IncrementAsync(string key, TimeSpan window, long amount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        // PEXPIRE takes whole milliseconds; a shorter window still lasts one.
        long windowMs = Math.Max(1, (long)Math.Ceiling(window.TotalMilliseconds));
        RedisResult result = await RedisCalls.RunAsync(
            () => Database.ScriptEvaluateAsync(IncrementScript, [(RedisKey)_keys.Throttle(key)], [amount, windowMs]), cancellationToken).ConfigureAwait(false);
        return Count(result);
    }

    /// <inheritdoc />
    public async ValueTask<ThrottleCount> ReadAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        RedisResult result = await RedisCalls.RunAsync(
            () => Database.ScriptEvaluateAsync(ReadScript, [(RedisKey)_keys.Throttle(key)]), cancellationToken).ConfigureAwait(false);
        return Count(result);
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await RedisCalls.RunAsync(() => Database.KeyDeleteAsync(_keys.Throttle(key)), cancellationToken).ConfigureAwait(false);
    }

    // The window's end from this instance's clock and Redis's remaining time: instances whose
    // clocks differ still agree on when the counter goes.
    private ThrottleCount Count(RedisResult result)
    {
        var pair = (RedisResult[])result!;
        long count = (long)pair[0];
        long left = Math.Max(0, (long)pair[1]);
        DateTimeOffset now = _time.GetUtcNow();
        return count == 0 && left == 0 ? ThrottleCount.None(now) : new ThrottleCount(count, now + TimeSpan.FromMilliseconds(left));
    }

    /// <summary>The Redis key of a counter (tests check its shape).</summary>
    internal string KeyOf(string key) => _keys.Throttle(key);
}
