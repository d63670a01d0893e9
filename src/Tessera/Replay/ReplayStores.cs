using Tessera.InMemory;
using Tessera.Throttling;

namespace Tessera.Replay;

/// <summary>Picks the replay store for a deployment that registered none of its own.</summary>
public static class ReplayStores
{
    /// <summary>
    /// Marks in this process's memory (one <see cref="InMemoryReplayStore"/> per throttle store and
    /// <paramref name="purpose"/>, so every caller passing the same pair shares them) when
    /// <paramref name="throttle"/> is the in-memory throttle store: that one evicts live counters when
    /// full, which a replay mark must never suffer. Otherwise marks in <paramref name="throttle"/>
    /// itself, a shared store (Redis) that every instance sees and that does not evict a live key.
    /// </summary>
    public static IReplayStore Over(IThrottleStore throttle, ReplayPurpose purpose = ReplayPurpose.General)
    {
        ArgumentNullException.ThrowIfNull(throttle);
        return throttle is InMemoryThrottleStore memory ? memory.MarksFor(purpose) : new ThrottleReplayStore(throttle);
    }

    /// <summary>
    /// The store for <paramref name="purpose"/> given the <paramref name="registered"/> one: when that is
    /// the default in-memory store beside <paramref name="throttle"/> (<see cref="Over"/>), the
    /// purpose's own in-memory store, so one kind of mark cannot fill the store of another; any other
    /// registered store (PostgreSQL, one of the host's) is used for every purpose.
    /// </summary>
    public static IReplayStore For(ReplayPurpose purpose, IReplayStore registered, IThrottleStore throttle)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(throttle);
        return throttle is InMemoryThrottleStore memory && ReferenceEquals(registered, memory.MarksFor(ReplayPurpose.General))
            ? memory.MarksFor(purpose)
            : registered;
    }
}
