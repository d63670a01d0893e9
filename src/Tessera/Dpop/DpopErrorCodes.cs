namespace Tessera.Dpop;

/// <summary>The error codes RFC 9449 registers (§12.2), used on token endpoints and in resource challenges.</summary>
public static class DpopErrorCodes
{
    /// <summary>The DPoP proof is missing where required, malformed, or fails a check of §4.3 (RFC 9449 §5, §7.1).</summary>
    public const string InvalidProof = "invalid_dpop_proof";

    /// <summary>The proof must carry the nonce the server gives in the <c>DPoP-Nonce</c> header (RFC 9449 §8, §9).</summary>
    public const string UseNonce = "use_dpop_nonce";
}
