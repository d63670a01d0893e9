using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;

namespace Tessera.Jose.Keys;

/// <summary>Reads JWKs (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) into usable keys.</summary>
internal static class JwkReader
{
    /// <summary>A JWK larger than this is refused before parsing (an RSA-8192 private key is about 6 KB).</summary>
    public const int MaxJwkBytes = 64 * 1024;

    public static bool TryParse(string json, out Jwk? key, out JoseError? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        key = null;
        if (json.Length > MaxJwkBytes)
        {
            error = new JoseError(JoseErrorCodes.TooLarge, "the JWK is larger than 64 KiB");
            return false;
        }

        using JsonDocument? document = StrictJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out error);
        if (document is null)
        {
            error = error == JoseError.MalformedPayload ? new JoseError(JoseErrorCodes.Malformed, "the JWK is not valid JSON") : error;
            return false;
        }

        return TryRead(document.RootElement, out key, out error, out _);
    }

    /// <summary>Reads one key; <paramref name="unsupportedType"/> tells a key set to skip rather than fail.</summary>
    public static bool TryRead(JsonElement element, out Jwk? key, out JoseError? error, out bool unsupportedType)
    {
        key = null;
        unsupportedType = false;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = JoseError.KeyInvalid("a JWK must be a JSON object");
            return false;
        }

        if (!TryGetString(element, "kty", required: true, out string? kty, out error)
            || !TryGetString(element, "kid", required: false, out string? kid, out error)
            || !TryGetString(element, "alg", required: false, out string? alg, out error)
            || !TryGetString(element, "use", required: false, out string? use, out error)
            || !TryGetKeyOperations(element, out IReadOnlyList<string>? keyOps, out error))
        {
            return false;
        }

        var metadata = new JwkMetadata(kid, alg, use, keyOps);
        bool read;
        switch (kty)
        {
            case "oct":
                read = TryReadOctet(element, metadata, out key, out error);
                break;
            case "RSA":
                read = TryReadRsa(element, metadata, out key, out error);
                break;
            case "EC":
                read = TryReadEc(element, metadata, out key, out error);
                break;
            case "OKP":
                read = TryReadOkp(element, metadata, out key, out error, out unsupportedType);
                break;
            default:
                unsupportedType = true;
                error = JoseError.KeyInvalid($"unsupported key type '{kty}'");
                return false;
        }

        return read && FitsDeclaredAlgorithm(ref key, out error);
    }

    /// <summary>
    /// A key that declares a JWS algorithm its own type, curve or size cannot do (ES512 on P-256,
    /// HS512 with a 32-byte secret, RS256 on an EC key) contradicts itself: refused, rather than
    /// imported as a key that can never be used. An alg Tessera does not know (a JWE one such as
    /// RSA-OAEP) is kept; such a key simply permits no JWS algorithm.
    /// </summary>
    private static bool FitsDeclaredAlgorithm(ref Jwk? key, out JoseError? error)
    {
        error = null;
        if (key!.Algorithm is string declared && JwsAlgorithms.TryGet(declared, out JwsAlgorithm? algorithm) && !key.MaterialFits(algorithm))
        {
            key = null;
            error = JoseError.KeyInvalid($"the key declares alg '{declared}', which its type, curve or size cannot do");
            return false;
        }

        return true;
    }

    private static bool TryReadOctet(JsonElement element, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;
        if (!TryGetBytes(element, "k", required: true, out byte[]? k, out error))
        {
            return false;
        }

        if (k!.Length == 0)
        {
            error = JoseError.KeyInvalid("'k' must not be empty");
            return false;
        }

        key = new OctetJwk(k, metadata);
        return true;
    }

    private static bool TryReadRsa(JsonElement element, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;
        if (element.TryGetProperty("oth", out _))
        {
            error = JoseError.KeyInvalid("multi-prime RSA keys ('oth') are not supported");
            return false;
        }

        if (!TryGetBytes(element, "n", required: true, out byte[]? n, out error)
            || !TryGetBytes(element, "e", required: true, out byte[]? e, out error)
            || !TryGetBytes(element, "d", required: false, out byte[]? d, out error))
        {
            return false;
        }

        n = TrimLeadingZeros(n!);
        e = TrimLeadingZeros(e!);
        if (n.Length == 0 || e.Length == 0)
        {
            error = JoseError.KeyInvalid("'n' and 'e' must be positive");
            return false;
        }

        var parameters = new RSAParameters { Modulus = n, Exponent = e };
        if (d is not null)
        {
            // The CRT parameters are optional in RFC 7518 §6.3.2 but every platform backend wants them.
            if (!TryGetBytes(element, "p", required: true, out byte[]? p, out error)
                || !TryGetBytes(element, "q", required: true, out byte[]? q, out error)
                || !TryGetBytes(element, "dp", required: true, out byte[]? dp, out error)
                || !TryGetBytes(element, "dq", required: true, out byte[]? dq, out error)
                || !TryGetBytes(element, "qi", required: true, out byte[]? qi, out error))
            {
                error = JoseError.KeyInvalid("RSA private keys need 'p', 'q', 'dp', 'dq' and 'qi' as well as 'd'");
                return false;
            }

            // The platform wants D as long as the modulus and the CRT values half as long.
            int half = (n.Length + 1) / 2;
            if (!TryLeftPad(d, n.Length, out byte[] paddedD) || !TryLeftPad(p!, half, out byte[] paddedP)
                || !TryLeftPad(q!, half, out byte[] paddedQ) || !TryLeftPad(dp!, half, out byte[] paddedDp)
                || !TryLeftPad(dq!, half, out byte[] paddedDq) || !TryLeftPad(qi!, half, out byte[] paddedQi))
            {
                error = JoseError.KeyInvalid("the RSA private parameters do not fit the modulus");
                return false;
            }

            parameters.D = paddedD;
            parameters.P = paddedP;
            parameters.Q = paddedQ;
            parameters.DP = paddedDp;
            parameters.DQ = paddedDq;
            parameters.InverseQ = paddedQi;
        }

        return RsaJwk.TryCreate(parameters, metadata, out key, out error);
    }

    private static bool TryReadEc(JsonElement element, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;
        if (!TryGetString(element, "crv", required: true, out string? crv, out error))
        {
            return false;
        }

        JwsAlgorithm? algorithm = EcJwk.AlgorithmForCurve(crv);
        if (algorithm is null)
        {
            error = JoseError.KeyInvalid($"unsupported EC curve '{crv}'");
            return false;
        }

        if (!TryGetBytes(element, "x", required: true, out byte[]? x, out error)
            || !TryGetBytes(element, "y", required: true, out byte[]? y, out error)
            || !TryGetBytes(element, "d", required: false, out byte[]? d, out error))
        {
            return false;
        }

        return EcJwk.TryCreate(algorithm, x!, y!, d, metadata, out key, out error);
    }

    private static bool TryReadOkp(JsonElement element, JwkMetadata metadata, out Jwk? key, out JoseError? error, out bool unsupportedType)
    {
        key = null;
        unsupportedType = false;
        if (!TryGetString(element, "crv", required: true, out string? crv, out error))
        {
            return false;
        }

        if (crv != "Ed25519")
        {
            // X25519 and X448 are key-agreement curves, Ed448 is not implemented: skip, like an unknown kty.
            unsupportedType = true;
            error = JoseError.KeyInvalid($"unsupported OKP curve '{crv}'");
            return false;
        }

        if (!TryGetBytes(element, "x", required: true, out byte[]? x, out error)
            || !TryGetBytes(element, "d", required: false, out byte[]? d, out error))
        {
            return false;
        }

        return OkpJwk.TryCreate(x!, d, metadata, out key, out error);
    }

    private static bool TryGetString(JsonElement element, string name, bool required, out string? value, out JoseError? error)
    {
        value = null;
        error = null;
        if (!element.TryGetProperty(name, out JsonElement member))
        {
            if (required)
            {
                error = JoseError.KeyInvalid($"the JWK has no '{name}'");
                return false;
            }

            return true;
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            error = JoseError.KeyInvalid($"the JWK member '{name}' must be a string");
            return false;
        }

        value = member.GetString();
        return true;
    }

    private static bool TryGetBytes(JsonElement element, string name, bool required, out byte[]? value, out JoseError? error)
    {
        value = null;
        if (!TryGetString(element, name, required, out string? text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        value = StrictBase64Url.DecodeOrNull(text);
        if (value is null)
        {
            error = JoseError.KeyInvalid($"the JWK member '{name}' is not canonical base64url");
            return false;
        }

        return true;
    }

    private static bool TryGetKeyOperations(JsonElement element, out IReadOnlyList<string>? operations, out JoseError? error)
    {
        operations = null;
        error = null;
        if (!element.TryGetProperty("key_ops", out JsonElement member))
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Array)
        {
            error = JoseError.KeyInvalid("'key_ops' must be an array of strings");
            return false;
        }

        var list = new List<string>();
        foreach (JsonElement item in member.EnumerateArray())
        {
            string? operation = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (operation is null || list.Contains(operation))
            {
                error = JoseError.KeyInvalid("'key_ops' must be an array of distinct strings (RFC 7517 §4.3)");
                return false;
            }

            list.Add(operation);
        }

        operations = list;
        return true;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return start == 0 ? value : value[start..];
    }

    private static bool TryLeftPad(byte[] value, int length, out byte[] padded)
    {
        byte[] trimmed = TrimLeadingZeros(value);
        if (trimmed.Length > length)
        {
            padded = trimmed;
            return false;
        }

        padded = new byte[length];
        trimmed.CopyTo(padded, length - trimmed.Length);
        return true;
    }
}
