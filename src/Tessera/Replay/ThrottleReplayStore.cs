using Tessera.Throttling;

namespace Tessera.Replay;

/// <summary>
/// Marks kept as counters of a shared <see cref="IThrottleStore"/> (Redis): the first increment of a
/// key within its window is the mark; any later one within the window is a replay.
/// </summary>
internal sealed class ThrottleReplayStore(IThrottleStore throttle) : IReplayStore
{
    // A mark asked for no time at all still lives a moment: the store needs a positive window, and
    // a shorter mark than asked for would be the unsafe direction.
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    public async ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrottleCount count = await throttle.IncrementAsync(key, lifetime < Shortest ? Shortest : lifetime, 1, cancellationToken).ConfigureAwait(false);
        return count.Count == 1;
    }
}
