namespace Tessera.Telemetry;

/// <summary>
/// An optional capability of a session store: how many sessions are active (not revoked, within
/// both lifetimes) at an instant, across every instance sharing the store. Read for the
/// <c>tessera.sessions.active</c> gauge at most once per refresh interval, never per scrape.
/// </summary>
public interface IActiveSessionCount
{
    /// <summary>The sessions active at <paramref name="now"/>.</summary>
    ValueTask<long> CountActiveSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
