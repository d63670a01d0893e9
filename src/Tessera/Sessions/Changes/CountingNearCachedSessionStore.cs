using Tessera.Telemetry;

namespace Tessera.Sessions.Changes;

/// <summary>
/// <see cref="CapableNearCachedSessionStore"/> over a store that counts its active sessions: the count
/// is the store's (every instance's sessions), never the cache's, which holds only what this instance read.
/// Without it the <c>tessera.sessions.active</c> gauge would vanish as soon as the near cache is on.
/// </summary>
internal sealed class CountingNearCachedSessionStore(ISessionStore inner, ISessionChangeFeed feed, SessionNearCacheOptions options, TimeProvider time)
    : CapableNearCachedSessionStore(inner, feed, options, time), IActiveSessionCount
{
    public ValueTask<long> CountActiveSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ((IActiveSessionCount)Inner).CountActiveSessionsAsync(now, cancellationToken);
}
