namespace Tessera.Replay;

/// <summary>
/// Single-use marks: a DPoP proof's <c>jti</c> (RFC 9449 §11.1), a client assertion's <c>jti</c>
/// (RFC 7523 §3), a passkey ceremony's challenge (WebAuthn §13.4.3). Unlike a throttle counter, a
/// mark must never be forgotten while it is live: forgetting it would accept a replay. So a store
/// that cannot remember one more mark answers false (refuses) rather than drop a live one. Every
/// instance that shares one store (PostgreSQL, Redis) refuses a mark taken at any other. A key is
/// opaque to the store; callers hash what the client sent, so no secret and no unbounded length
/// goes into it.
/// </summary>
public interface IReplayStore
{
    /// <summary>
    /// Takes the mark <paramref name="key"/> for <paramref name="lifetime"/>, atomically: true the
    /// first time, false while an earlier mark under the same key is live (a replay) or when the
    /// store is full. A mark whose lifetime ended may be taken again.
    /// </summary>
    ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken);
}
