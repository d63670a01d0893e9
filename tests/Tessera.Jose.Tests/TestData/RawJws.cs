using System.Security.Cryptography;

namespace Tessera.Jose.Tests.TestData;

/// <summary>
/// Builds compact JWS by hand, with the platform's primitives rather than the library's signer, so
/// that tests can make tokens the library's own signer would refuse to produce (odd headers,
/// duplicate members, bad crit) and still carry a genuine signature.
/// </summary>
internal static class RawJws
{
    public static string SigningInput(string headerJson, string payloadJson) =>
        B64.Url(headerJson) + "." + B64.Url(payloadJson);

    /// <summary>An HMAC-signed token over the exact header and payload text.</summary>
    public static string Hmac(string headerJson, string payloadJson, byte[] secret, string algorithm = "HS256") =>
        HmacOverInput(SigningInput(headerJson, payloadJson), secret, algorithm);

    /// <summary>An HMAC-signed token over exact header and payload bytes (which need not be valid UTF-8 or JSON).</summary>
    public static string Hmac(byte[] header, byte[] payload, byte[] secret, string algorithm = "HS256") =>
        HmacOverInput(B64.Url(header) + "." + B64.Url(payload), secret, algorithm);

    /// <summary>An HMAC-signed token over an already-encoded signing input (which may be non-canonical on purpose).</summary>
    public static string HmacOverInput(string signingInput, byte[] secret, string algorithm = "HS256")
    {
        byte[] input = System.Text.Encoding.ASCII.GetBytes(signingInput);
        byte[] mac = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(secret, input),
            "HS384" => HMACSHA384.HashData(secret, input),
            "HS512" => HMACSHA512.HashData(secret, input),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return signingInput + "." + B64.Url(mac);
    }

    /// <summary>An ECDSA signature (R || S, RFC 7518 §3.4) over the signing input.</summary>
    public static byte[] EcdsaSignature(string signingInput, ECParameters key, HashAlgorithmName hash, DSASignatureFormat format = DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
    {
        using ECDsa ecdsa = ECDsa.Create(key);
        return ecdsa.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), hash, format);
    }
}
