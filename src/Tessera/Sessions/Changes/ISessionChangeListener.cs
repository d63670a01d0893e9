namespace Tessera.Sessions.Changes;

/// <summary>Hears the changes an <see cref="ISessionChangeFeed"/> delivers. Called on the feed's thread: return quickly, never throw.</summary>
public interface ISessionChangeListener
{
    /// <summary>A session changed on some instance (this one included).</summary>
    void OnChange(SessionChange change);

    /// <summary>
    /// The feed may have missed changes (it connected for the first time, reconnected, or the store
    /// says it lost messages): everything held locally is suspect until the listener has reloaded.
    /// </summary>
    void OnReset();

    /// <summary>
    /// The feed lost its connection: changes are not arriving. A listener must stop trusting what it
    /// holds once <see cref="ISessionChangeFeed.Staleness"/> has passed without a reconnect.
    /// </summary>
    void OnDisconnected();
}
