namespace Tessera.Sessions.Changes;

/// <summary>
/// Pushes session changes from the store to every instance (Redis pub/sub, PostgreSQL
/// LISTEN/NOTIFY), so a revocation list or a session cache held in memory can be trusted without
/// a round trip per request. Delivery is at most once: a gap is reported as
/// <see cref="ISessionChangeListener.OnReset"/> or <see cref="ISessionChangeListener.OnDisconnected"/>,
/// and a listener bounds how stale it lets itself be.
/// </summary>
public interface ISessionChangeFeed
{
    /// <summary>True while the feed is connected and delivering.</summary>
    bool IsConnected { get; }

    /// <summary>How long a listener may keep answering from local state after <see cref="ISessionChangeListener.OnDisconnected"/>.</summary>
    TimeSpan Staleness { get; }

    /// <summary>Starts delivering to <paramref name="listener"/> (its first call is <see cref="ISessionChangeListener.OnReset"/> once connected); dispose to stop.</summary>
    IDisposable Subscribe(ISessionChangeListener listener);

    /// <summary>Announces a change to every subscribed instance. Best effort: a failure to publish is logged, not thrown; listeners bound their staleness.</summary>
    ValueTask PublishAsync(SessionChange change, CancellationToken cancellationToken);
}
