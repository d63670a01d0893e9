using System.Collections.Frozen;
using System.Security.Cryptography;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Algorithms;

/// <summary>
/// The one algorithm table (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864 §2.2). An unknown name is
/// "unsupported"; <c>none</c>, in any casing, is never a row and is refused before lookup.
/// </summary>
public static class JwsAlgorithms
{
    /// <summary>HMAC with SHA-256 (RFC 7518 §3.2); needs an <c>oct</c> key of at least 32 bytes.</summary>
    public static readonly JwsAlgorithm HS256 = new("HS256", JwkKeyType.Octet, HashAlgorithmName.SHA256, 32);
    /// <summary>HMAC with SHA-384 (RFC 7518 §3.2); needs an <c>oct</c> key of at least 48 bytes.</summary>
    public static readonly JwsAlgorithm HS384 = new("HS384", JwkKeyType.Octet, HashAlgorithmName.SHA384, 48);
    /// <summary>HMAC with SHA-512 (RFC 7518 §3.2); needs an <c>oct</c> key of at least 64 bytes.</summary>
    public static readonly JwsAlgorithm HS512 = new("HS512", JwkKeyType.Octet, HashAlgorithmName.SHA512, 64);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); RSA keys of 2048 bits or more.</summary>
    public static readonly JwsAlgorithm RS256 = new("RS256", JwkKeyType.Rsa, HashAlgorithmName.SHA256, 32, RSASignaturePadding.Pkcs1);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384 (RFC 7518 §3.3).</summary>
    public static readonly JwsAlgorithm RS384 = new("RS384", JwkKeyType.Rsa, HashAlgorithmName.SHA384, 48, RSASignaturePadding.Pkcs1);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-512 (RFC 7518 §3.3).</summary>
    public static readonly JwsAlgorithm RS512 = new("RS512", JwkKeyType.Rsa, HashAlgorithmName.SHA512, 64, RSASignaturePadding.Pkcs1);
    /// <summary>RSASSA-PSS with SHA-256 and MGF1 (RFC 7518 §3.5).</summary>
    public static readonly JwsAlgorithm PS256 = new("PS256", JwkKeyType.Rsa, HashAlgorithmName.SHA256, 32, RSASignaturePadding.Pss);
    /// <summary>RSASSA-PSS with SHA-384 and MGF1 (RFC 7518 §3.5).</summary>
    public static readonly JwsAlgorithm PS384 = new("PS384", JwkKeyType.Rsa, HashAlgorithmName.SHA384, 48, RSASignaturePadding.Pss);
    /// <summary>RSASSA-PSS with SHA-512 and MGF1 (RFC 7518 §3.5).</summary>
    public static readonly JwsAlgorithm PS512 = new("PS512", JwkKeyType.Rsa, HashAlgorithmName.SHA512, 64, RSASignaturePadding.Pss);
    /// <summary>ECDSA on P-256 with SHA-256 (RFC 7518 §3.4); the signature is raw R‖S, 64 bytes. Tessera's default for access tokens.</summary>
    public static readonly JwsAlgorithm ES256 = new("ES256", JwkKeyType.EllipticCurve, HashAlgorithmName.SHA256, 32, curve: "P-256", coordinateSize: 32);
    /// <summary>ECDSA on P-384 with SHA-384 (RFC 7518 §3.4); raw R‖S, 96 bytes.</summary>
    public static readonly JwsAlgorithm ES384 = new("ES384", JwkKeyType.EllipticCurve, HashAlgorithmName.SHA384, 48, curve: "P-384", coordinateSize: 48);
    /// <summary>ECDSA on P-521 with SHA-512 (RFC 7518 §3.4); raw R‖S, 132 bytes.</summary>
    public static readonly JwsAlgorithm ES512 = new("ES512", JwkKeyType.EllipticCurve, HashAlgorithmName.SHA512, 64, curve: "P-521", coordinateSize: 66);
    /// <summary>Ed25519 signatures under the name <c>EdDSA</c> (RFC 8037 §3.1), with an <c>OKP</c> key.</summary>
    public static readonly JwsAlgorithm EdDSA = new("EdDSA", JwkKeyType.OctetKeyPair, HashAlgorithmName.SHA512, 64, curve: "Ed25519");

    /// <summary>RFC 9864's fully-specified name for EdDSA over Ed25519.</summary>
    public static readonly JwsAlgorithm Ed25519 = new("Ed25519", JwkKeyType.OctetKeyPair, HashAlgorithmName.SHA512, 64, curve: "Ed25519");

    /// <summary>Every supported algorithm, by its exact (case-sensitive) name.</summary>
    public static readonly FrozenDictionary<string, JwsAlgorithm> All = new[]
    {
        HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519,
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, JwsAlgorithm>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        All.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Looks an algorithm up by its exact name.</summary>
    public static bool TryGet(string name, out JwsAlgorithm algorithm) =>
        All.TryGetValue(name, out algorithm!);

    /// <summary>Looks an algorithm up by its exact name, without allocating.</summary>
    public static bool TryGet(ReadOnlySpan<char> name, out JwsAlgorithm algorithm) =>
        ByChars.TryGetValue(name, out algorithm!);

    /// <summary>True for <c>none</c> in any casing: the unsecured JWS, which is never accepted.</summary>
    public static bool IsNone(ReadOnlySpan<char> name) => name.Equals("none", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Resolves a caller's list of names to rows, throwing on misuse: an unknown name or <c>none</c>
    /// in an allow-list is a configuration bug, not an input error.
    /// </summary>
    public static FrozenSet<JwsAlgorithm> ResolveAllowList(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var rows = new List<JwsAlgorithm>();
        foreach (string name in names)
        {
            if (IsNone(name))
            {
                throw new ArgumentException("'none' can never be allowed.", nameof(names));
            }

            if (!TryGet(name, out JwsAlgorithm? row))
            {
                throw new ArgumentException($"'{name}' is not a supported JWS algorithm.", nameof(names));
            }

            rows.Add(row);
        }

        return rows.Count == 0
            ? throw new ArgumentException("An allow-list must name at least one algorithm.", nameof(names))
            : rows.ToFrozenSet();
    }
}
