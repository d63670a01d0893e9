using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Throttling;

namespace Tessera.Tests.InMemory;

/// <summary>The in-memory throttle store's bound: a flood of distinct keys cannot grow it past <see cref="InMemoryThrottleStore.MaxEntries"/>.</summary>
public sealed class InMemoryThrottleStoreBoundTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public async Task AFloodOfDistinctLiveKeysStaysWithinTheBound()
    {
        var store = new InMemoryThrottleStore(_time, 1_000);

        for (int i = 0; i < 50_000; i++)
        {
            await store.IncrementAsync("sign-in:198.51.100." + i, TimeSpan.FromMinutes(1), 1, CancellationToken.None);
            Assert.True(store.Count <= 1_000);
        }

        Assert.True(store.Evicted >= 49_000);
    }

    [Fact]
    public void TheDefaultStoreIsBounded()
    {
        Assert.Equal(InMemoryThrottleStore.DefaultMaxEntries, new InMemoryThrottleStore(_time).MaxEntries);
    }

    [Fact]
    public async Task EndedWindowsAreSweptBeforeAnyLiveCounterIsEvicted()
    {
        var store = new InMemoryThrottleStore(_time, 64);
        for (int i = 0; i < 64; i++)
        {
            await store.IncrementAsync("old:" + i, TimeSpan.FromSeconds(1), 1, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        for (int i = 0; i < 64; i++)
        {
            await store.IncrementAsync("new:" + i, TimeSpan.FromMinutes(1), 3, CancellationToken.None);
        }

        Assert.Equal(0, store.Evicted);
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(3, (await store.ReadAsync("new:" + i, CancellationToken.None)).Count);
        }
    }

    [Fact]
    public async Task WhenFullTheSoonestEndingWindowsGoFirstAndNewKeysAreStillCounted()
    {
        var store = new InMemoryThrottleStore(_time, 64);
        // An account's failure count over a long window, taken before the flood.
        await store.IncrementAsync("lockout:alice", TimeSpan.FromHours(1), 5, CancellationToken.None);

        for (int i = 0; i < 1_000; i++)
        {
            await store.IncrementAsync("flood:" + i, TimeSpan.FromMinutes(1), 1, CancellationToken.None);
        }

        Assert.True(store.Evicted > 0);
        Assert.Equal(5, (await store.ReadAsync("lockout:alice", CancellationToken.None)).Count);

        // A new key in a full store is counted, not refused (refusing would lock every newcomer out).
        Assert.Equal(1, (await store.IncrementAsync("sign-in:bob", TimeSpan.FromMinutes(1), 1, CancellationToken.None)).Count);
        Assert.Equal(2, (await store.IncrementAsync("sign-in:bob", TimeSpan.FromMinutes(1), 1, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AVictimsCountTakenFirstSurvivesAFloodOfFreshKeysInTheSameWindow()
    {
        // The attacker works on one counter (a victim account's password failures), created before
        // the junk keys meant to push it out: with the same window it ends soonest, so evicting by
        // end time alone reset it to zero. The lowest counts go first.
        var store = new InMemoryThrottleStore(_time, 64);
        for (int i = 0; i < 5; i++)
        {
            await store.IncrementAsync("lockout:victim", TimeSpan.FromMinutes(15), 1, CancellationToken.None);
        }

        for (int i = 0; i < 12_500; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await store.IncrementAsync("lockout:junk" + i, TimeSpan.FromMinutes(15), 1, CancellationToken.None);
        }

        Assert.True(store.Evicted > 0);
        Assert.Equal(6, (await store.IncrementAsync("lockout:victim", TimeSpan.FromMinutes(15), 1, CancellationToken.None)).Count);
    }
}
