using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.AspNetCore.RateLimiting;
using Tessera.Stores;
using Tessera.Testing.Servers;
using Tessera.Throttling;

namespace Tessera.Redis.Tests;

/// <summary>What the conformance suite cannot see: the key layout in Redis, and an unreachable Redis under the store and under the limits.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisThrottleStoreTests(RedisFixture redis)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ACounterIsOneExpiringKeyUnderThePrefixNamedByAHashNotByTheCallersKey()
    {
        string prefix = RedisFixture.UniquePrefix();
        var store = new RedisThrottleStore(redis.Connection, prefix, -1, TimeProvider.System);
        string key = "rate:sign-in-account:" + new string('a', 10_000);

        await store.IncrementAsync(key, TimeSpan.FromMinutes(1), 1, None);

        IServer server = redis.Connection.GetServers()[0];
        RedisKey[] keys = [.. server.Keys(pattern: prefix + "*")];
        string stored = Assert.Single(keys)!;
        Assert.Equal(store.KeyOf(key), stored);
        Assert.StartsWith(prefix + "v1:throttle:", stored, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + "v1:throttle:".Length + 43, stored.Length); // SHA-256, base64url
        Assert.DoesNotContain("aaaa", stored, StringComparison.Ordinal);
        TimeSpan? ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(stored);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AnUnreachableRedisIsStoreUnavailableNotAnotherError()
    {
        await using IConnectionMultiplexer nowhere = await TesseraRedisConnection.ConnectAsync($"127.0.0.1:{LoopbackPort.Free()},connectTimeout=500");
        var store = new RedisThrottleStore(nowhere, "tessera:", -1, TimeProvider.System);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.IncrementAsync("k", TimeSpan.FromMinutes(1), 1, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.ReadAsync("k", None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.ResetAsync("k", None));
    }

    [Fact]
    public async Task WhileRedisIsUnreachableSignInLimitsRefuseAndTheOthersCountLocally()
    {
        await using IConnectionMultiplexer nowhere = await TesseraRedisConnection.ConnectAsync($"127.0.0.1:{LoopbackPort.Free()},connectTimeout=500");
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var limits = new ThrottleLimits(new RedisThrottleStore(nowhere, "tessera:", -1, time), time, NullLogger<ThrottleLimits>.Instance);
        TesseraRateLimitOptions defaults = new();
        FixedWindowLimit token = new() { PermitLimit = 2, Window = TimeSpan.FromMinutes(1), WhenStoreUnavailable = defaults.TokenPerClient.WhenStoreUnavailable };

        // Sign-in (per client and per account): refused, which the host answers 503 with Retry-After.
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await limits.AcquireAsync("rate:sign-in:192.0.2.1", defaults.SignInPerClient, 1, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await limits.AcquireAsync("rate:sign-in-account:alice", defaults.SignInPerAccount, 1, None));
        // Token endpoints: this instance's own count, still a limit.
        Assert.True((await limits.AcquireAsync("rate:token:192.0.2.1", token, 1, None)).IsAcquired);
        Assert.True((await limits.AcquireAsync("rate:token:192.0.2.1", token, 1, None)).IsAcquired);
        using System.Threading.RateLimiting.RateLimitLease refused = await limits.AcquireAsync("rate:token:192.0.2.1", token, 1, None);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out TimeSpan retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.Equal(ThrottleStoreOutage.CountLocally, defaults.RegisterPerClient.WhenStoreUnavailable);
        Assert.Equal(ThrottleStoreOutage.CountLocally, defaults.IntrospectPerClient.WhenStoreUnavailable);
    }
}
