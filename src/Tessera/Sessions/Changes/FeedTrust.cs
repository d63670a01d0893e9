namespace Tessera.Sessions.Changes;

/// <summary>
/// Whether a listener may still answer from what it holds: only after the feed's first
/// <see cref="ISessionChangeListener.OnReset"/>, and, after <see cref="ISessionChangeListener.OnDisconnected"/>,
/// for no longer than the feed's <see cref="ISessionChangeFeed.Staleness"/> (changes made elsewhere
/// in that window are not heard: that is the documented bound).
/// </summary>
internal sealed class FeedTrust(TimeProvider time, TimeSpan staleness)
{
    private const long Never = long.MinValue;
    private const long Connected = long.MaxValue;

    // Connected, Never (no reset heard yet), or the UTC ticks at which the feed was lost.
    private long _state = Never;

    /// <summary>The feed (re)connected: what the listener reloads from now on can be trusted.</summary>
    public void OnConnected() => Volatile.Write(ref _state, Connected);

    /// <summary>The feed was lost: the staleness bound starts now (or keeps its earlier start).</summary>
    public void OnDisconnected()
    {
        long now = time.GetUtcNow().UtcTicks;
        long seen = Volatile.Read(ref _state);
        if (seen == Connected)
        {
            Interlocked.CompareExchange(ref _state, now, Connected);
        }
    }

    /// <summary>True while local state may answer: connected, or lost for no longer than the staleness bound.</summary>
    public bool IsFresh
    {
        get
        {
            long state = Volatile.Read(ref _state);
            return state == Connected
                || (state != Never && time.GetUtcNow().UtcTicks - state <= staleness.Ticks);
        }
    }

    /// <summary>True once the feed has been heard from and is not known to be lost.</summary>
    public bool IsConnected => Volatile.Read(ref _state) == Connected;
}
