using Tessera.InMemory;
using Tessera.Throttling;

namespace Tessera.Replay;

/// <summary>Picks the replay store for a deployment that registered none of its own.</summary>
public static class ReplayStores
{
    /// <summary>
    /// Marks in this process's memory (one <see cref="InMemoryReplayStore"/> per throttle store, so
    /// every caller passing the same one shares them) when <paramref name="throttle"/> is the
    /// in-memory throttle store: that one evicts live counters when full, which a replay mark must
    /// never suffer. Otherwise marks in <paramref name="throttle"/> itself, a shared store (Redis)
    /// that every instance sees and that does not evict a live key.
    /// </summary>
    public static IReplayStore Over(IThrottleStore throttle)
    {
        ArgumentNullException.ThrowIfNull(throttle);
        return throttle is InMemoryThrottleStore memory ? memory.Marks : new ThrottleReplayStore(throttle);
    }
}
