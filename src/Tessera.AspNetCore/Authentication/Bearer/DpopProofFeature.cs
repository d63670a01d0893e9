using Tessera.Dpop;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// Set on the request (<c>HttpContext.Features</c>) by the bearer handlers when it presented a
/// DPoP-bound access token with a proof that passed every check (RFC 9449 §4.3, §7.1): the proof's
/// public key and thumbprint, for an application that wants to log or compare them. Absent for a
/// plain bearer token.
/// </summary>
/// <param name="Proof">The verified proof.</param>
public sealed record DpopProofFeature(DpopProof Proof);
