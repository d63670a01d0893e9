using Tessera.Jose.Keys;

namespace Tessera.Dpop;

/// <summary>
/// A DPoP proof that passed every check of RFC 9449 §4.3: the public key that signed it, its
/// thumbprint (<c>jkt</c>, RFC 7638, what tokens bind to in <c>cnf</c>, §6) and its claims.
/// Nothing here is secret. The validator hands one out only once its <c>jti</c> is recorded
/// (<see cref="DpopProofValidator.ValidateAsync"/>, <see cref="DpopProofValidator.UseAsync"/>); before
/// that a proof is an <see cref="UnspentDpopProof"/>.
/// </summary>
public sealed record DpopProof
{
    /// <summary>The proof's public key (the <c>jwk</c> header), private parts refused.</summary>
    public required Jwk Key { get; init; }

    /// <summary>The RFC 7638 SHA-256 thumbprint of <see cref="Key"/>, base64url.</summary>
    public required string KeyThumbprint { get; init; }

    /// <summary>The proof's unique id (<c>jti</c>): recorded in the replay cache by <see cref="DpopProofValidator.ValidateAsync"/> or <see cref="DpopProofValidator.UseAsync"/>.</summary>
    public required string JwtId { get; init; }

    /// <summary>When the client made the proof (<c>iat</c>).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The server nonce the proof carried (<c>nonce</c>); null when none.</summary>
    public string? Nonce { get; init; }
}
