using System.Security.Cryptography;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Algorithms;

/// <summary>
/// One row of the algorithm table: everything that distinguishes one JWS <c>alg</c> from another.
/// Keys decide whether a row fits them; the caller's allow-list decides whether it is permitted.
/// </summary>
public sealed class JwsAlgorithm
{
    internal JwsAlgorithm(string name, JwkKeyType keyType, HashAlgorithmName hash, int hashSize,
        RSASignaturePadding? rsaPadding = null, string? curve = null, int coordinateSize = 0)
    {
        Name = name;
        KeyType = keyType;
        Hash = hash;
        HashSize = hashSize;
        RsaPadding = rsaPadding;
        Curve = curve;
        CoordinateSize = coordinateSize;
    }

    /// <summary>The registered name, e.g. <c>ES256</c>.</summary>
    public string Name { get; }

    /// <summary>The key type this algorithm needs.</summary>
    public JwkKeyType KeyType { get; }

    /// <summary>The digest (unused by EdDSA, which hashes internally).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The digest's size in bytes; also the minimum HMAC key size (RFC 7518 §3.2).</summary>
    public int HashSize { get; }

    /// <summary>PKCS #1 v1.5 for RS*, PSS for PS*; null otherwise.</summary>
    public RSASignaturePadding? RsaPadding { get; }

    /// <summary>The JWK <c>crv</c> the key must have (EC and OKP rows).</summary>
    public string? Curve { get; }

    /// <summary>For ECDSA: the byte length of one coordinate, so a signature is exactly twice that (RFC 7518 §3.4).</summary>
    public int CoordinateSize { get; }

    /// <summary>The <c>alg</c> name, as it appears in a JWS header.</summary>
    public override string ToString() => Name;
}
