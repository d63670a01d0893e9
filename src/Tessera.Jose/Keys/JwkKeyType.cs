namespace Tessera.Jose.Keys;

/// <summary>The JWK key types Tessera implements (RFC 7518 §6, RFC 8037 §2).</summary>
public enum JwkKeyType
{
    /// <summary><c>oct</c>: a shared secret, for HMAC.</summary>
    Octet,

    /// <summary><c>RSA</c>.</summary>
    Rsa,

    /// <summary><c>EC</c>: P-256, P-384 or P-521.</summary>
    EllipticCurve,

    /// <summary><c>OKP</c>: Ed25519.</summary>
    OctetKeyPair,
}
