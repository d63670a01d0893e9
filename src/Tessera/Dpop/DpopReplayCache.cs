using System.Security.Cryptography;
using System.Text;
using Tessera.Jose.Encoding;
using Tessera.Replay;
using Tessera.Throttling;

namespace Tessera.Dpop;

/// <summary>
/// Remembers the <c>jti</c> of every accepted proof for as long as the proof could be accepted
/// (RFC 9449 §11.1), so a captured proof is refused the second time it is sent. It keeps its marks in
/// an <see cref="IReplayStore"/>: one process's memory by default, PostgreSQL or Redis when the
/// deployment shares one (then a proof used at one instance is refused at every other). The key is a
/// hash of the proof key's thumbprint and the <c>jti</c>: bounded in length whatever the client sent,
/// and two clients choosing the same <c>jti</c> never collide.
/// </summary>
public sealed class DpopReplayCache
{
    private readonly IReplayStore _store;

    /// <summary>Marks kept in <paramref name="store"/>.</summary>
    public DpopReplayCache(IReplayStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Marks kept beside <paramref name="throttle"/>'s counters (<see cref="ReplayStores.Over"/>: in memory, in a store of DPoP marks only, when it is the in-memory store).</summary>
    public DpopReplayCache(IThrottleStore throttle)
        : this(ReplayStores.Over(throttle, ReplayPurpose.Dpop))
    {
    }

    /// <summary>
    /// Records (<paramref name="keyThumbprint"/>, <paramref name="jwtId"/>) for <paramref name="window"/>;
    /// true the first time, false when it was already recorded within its window (a replay).
    /// </summary>
    public ValueTask<bool> TryUseAsync(string keyThumbprint, string jwtId, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyThumbprint);
        ArgumentNullException.ThrowIfNull(jwtId);
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(keyThumbprint + "\n" + jwtId));
        return _store.TryMarkAsync("dpop-jti:" + StrictBase64Url.Encode(digest), window, cancellationToken);
    }
}
