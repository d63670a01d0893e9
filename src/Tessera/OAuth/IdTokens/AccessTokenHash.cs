using System.Security.Cryptography;
using System.Text;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;

namespace Tessera.OAuth.IdTokens;

/// <summary>
/// The <c>at_hash</c> of an ID token (OpenID Connect Core §3.1.3.6; <c>c_hash</c> of §3.3.2.11 is
/// the same computation over the code): the base64url of the left half of the hash of the ASCII
/// token, hashed with the hash of the ID token's JWS <c>alg</c>. RS256, ES256 and PS256 hash with
/// SHA-256, the *384 algorithms with SHA-384, the *512 ones with SHA-512. EdDSA names no hash of its
/// own; OpenID Connect Core errata set 2 settles it by the curve, SHA-512 for Ed25519 (the hash
/// Ed25519 itself uses), which is the hash of the EdDSA and Ed25519 rows of Tessera.Jose's table.
/// </summary>
public static class AccessTokenHash
{
    /// <summary>The <c>at_hash</c> of <paramref name="accessToken"/> for an ID token signed with <paramref name="algorithm"/>.</summary>
    public static string Of(string accessToken, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!JwsAlgorithms.TryGet(algorithm, out JwsAlgorithm row))
        {
            throw new ArgumentException($"'{algorithm}' is not a supported JWS algorithm.", nameof(algorithm));
        }

        if (!Ascii.IsValid(accessToken))
        {
            throw new ArgumentException("An access token is ASCII (OIDC Core §3.1.3.6 hashes its ASCII octets).", nameof(accessToken));
        }

        byte[] octets = Encoding.ASCII.GetBytes(accessToken);
        Span<byte> hash = stackalloc byte[64];
        int written = CryptographicOperations.HashData(row.Hash, octets, hash);
        return StrictBase64Url.Encode(hash[..(written / 2)]);
    }
}
