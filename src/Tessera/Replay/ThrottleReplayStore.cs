using Tessera.Throttling;

namespace Tessera.Replay;

/// <summary>
/// Marks kept as counters of a shared <see cref="IThrottleStore"/> (Redis): the first increment of a
/// key within its window is the mark; any later one within the window is a replay.
/// </summary>
internal sealed class ThrottleReplayStore(IThrottleStore throttle) : IReplayStore
{
    public async ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        TimeSpan window = ReplayMarkLifetime.Of(key, lifetime);
        ThrottleCount count = await throttle.IncrementAsync(key, window, 1, cancellationToken).ConfigureAwait(false);
        return count.Count == 1;
    }
}
