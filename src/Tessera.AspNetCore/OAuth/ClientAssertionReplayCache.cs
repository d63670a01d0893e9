using System.Security.Cryptography;
using System.Text;
using Tessera.Jose.Encoding;
using Tessera.Replay;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// The <c>jti</c> values of client assertions already used (RFC 7523 §3 item 7: an assertion is used
/// once), kept until the assertion's own <c>exp</c>: after that it would be refused as expired anyway.
/// The marks live in the <see cref="IReplayStore"/>: this process's memory by default (behind a load
/// balancer an assertion could then be replayed once per instance within its short lifetime, at most
/// <see cref="ClientAssertionValidator.MaxLifetime"/>), PostgreSQL or Redis when the deployment shares
/// one. A full store refuses new assertions rather than forget used ones (fail closed).
/// </summary>
public sealed class ClientAssertionReplayCache(IReplayStore store, TimeProvider time)
{
    /// <summary>True the first time (<paramref name="clientId"/>, <paramref name="jti"/>) is seen before <paramref name="expiresAt"/>.</summary>
    public ValueTask<bool> TryUseAsync(string clientId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(jti);
        // Hashed: the jti is the client's choice, of any length; the key stays short and two clients never collide.
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(clientId + "\n" + jti));
        return store.TryMarkAsync("client-assertion-jti:" + StrictBase64Url.Encode(digest), expiresAt - Clock.Now(time), cancellationToken);
    }
}
