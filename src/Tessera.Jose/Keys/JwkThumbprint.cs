using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Encoding;

namespace Tessera.Jose.Keys;

/// <summary>
/// RFC 7638 JWK thumbprints: SHA-256 over the key's required members, in lexicographic order,
/// with no whitespace (§3.2–3.3). The same key always gives the same thumbprint, whatever
/// optional members or member order its JWK had.
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The base64url SHA-256 thumbprint.</summary>
    public static string Compute(Jwk key) => StrictBase64Url.Encode(ComputeBytes(key, HashAlgorithmName.SHA256));

    /// <summary>The raw thumbprint under <paramref name="hash"/>.</summary>
    public static byte[] ComputeBytes(Jwk key, HashAlgorithmName hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.HashData(hash, CanonicalMembers(key));
    }

    /// <summary>The exact JSON that is hashed, e.g. <c>{"e":"AQAB","kty":"RSA","n":"…"}</c>.</summary>
    public static byte[] CanonicalMembers(Jwk key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            key.WriteThumbprintMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
