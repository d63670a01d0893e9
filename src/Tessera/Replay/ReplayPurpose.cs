namespace Tessera.Replay;

/// <summary>
/// What a single-use mark is for. In memory each purpose has a store of its own, so a flood of one
/// kind (self-signed DPoP proofs cost an attacker nothing, RFC 9449 §11.1) can fill only its own
/// store and never refuses a passkey sign-in or a client assertion. A shared store (PostgreSQL,
/// Redis) has no such bound and keeps every purpose in one place under distinct key prefixes.
/// </summary>
public enum ReplayPurpose
{
    /// <summary>Passkey challenges and any other mark: the registered <see cref="IReplayStore"/>.</summary>
    General = 0,

    /// <summary>A DPoP proof's <c>jti</c> (RFC 9449 §11.1).</summary>
    Dpop = 1,

    /// <summary>A client assertion's <c>jti</c> (RFC 7523 §3).</summary>
    ClientAssertion = 2,
}
