using Microsoft.Extensions.Time.Testing;
using Tessera.Dpop;
using Tessera.InMemory;
using Tessera.Replay;

namespace Tessera.Tests.Replay;

/// <summary>
/// Single-use marks in memory: never forgotten while live, refused when the store is full. What every
/// store does is <see cref="InMemoryReplayStoreConformanceTests"/>'s.
/// </summary>
public sealed class ReplayStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public async Task AFullStoreRefusesNewMarksRatherThanForgetALiveOne()
    {
        var store = new InMemoryReplayStore(_time, maxEntries: 10);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await store.TryMarkAsync("k" + i, TimeSpan.FromMinutes(1), CancellationToken.None));
        }

        Assert.False(await store.TryMarkAsync("new", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await store.TryMarkAsync("k0", TimeSpan.FromMinutes(1), CancellationToken.None));

        // Once the marks end there is room again.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await store.TryMarkAsync("new", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task DpopMarksBesideTheInMemoryThrottleStoreSurviveAFloodThatEvictsItsCounters()
    {
        // The throttle store evicts live counters when full; a DPoP mark kept there would be forgotten
        // by a flood of distinct keys and the captured proof accepted again (RFC 9449 §11.1).
        var throttle = new InMemoryThrottleStore(_time, 64);
        var replays = new DpopReplayCache(throttle);
        Assert.True(await replays.TryUseAsync("thumbprint", "jti-1", TimeSpan.FromMinutes(5), CancellationToken.None));

        for (int i = 0; i < 1_000; i++)
        {
            await throttle.IncrementAsync("flood:" + i, TimeSpan.FromMinutes(10), 1, CancellationToken.None);
        }

        Assert.True(throttle.Evicted > 0);
        Assert.False(await replays.TryUseAsync("thumbprint", "jti-1", TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task AFloodOfDpopMarksDoesNotRefuseAPasskeyOrClientAssertionMark()
    {
        // Self-signed DPoP proofs cost nothing: one shared store of 100,000 marks filled by them
        // refused every passkey sign-in and private_key_jwt client on the instance for minutes.
        var throttle = new InMemoryThrottleStore(_time);
        var dpop = new DpopReplayCache(throttle);
        for (int i = 0; i <= InMemoryReplayStore.DefaultMaxEntries; i++)
        {
            Assert.True(await dpop.TryUseAsync("thumbprint", "jti-" + i, TimeSpan.FromMinutes(5), CancellationToken.None));
        }

        IReplayStore general = ReplayStores.Over(throttle);
        IReplayStore assertions = ReplayStores.For(ReplayPurpose.ClientAssertion, general, throttle);
        Assert.True(await general.TryMarkAsync("passkey:challenge-hash", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True(await assertions.TryMarkAsync("client-assertion:jti-hash", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.NotSame(general, ReplayStores.For(ReplayPurpose.Dpop, general, throttle));
    }

    [Fact]
    public async Task AFullStoreRefusesAndRecoversOnceItsMarksEnd()
    {
        var store = new InMemoryReplayStore(_time, maxEntries: 10);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await store.TryMarkAsync("dpop-jti:" + i, TimeSpan.FromSeconds(1), CancellationToken.None));
        }

        Assert.False(await store.TryMarkAsync("dpop-jti:new", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(1, store.Refused);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.TryMarkAsync("dpop-jti:new", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.False(await store.TryMarkAsync("dpop-jti:new", TimeSpan.FromSeconds(1), CancellationToken.None));
    }
}
