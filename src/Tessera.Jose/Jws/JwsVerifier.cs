using System.Buffers;
using Tessera.Jose.Encoding;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jws;

/// <summary>
/// Verifies JWS compact serializations (RFC 7515 §5.2) against trusted keys. Build one per set of
/// options and reuse it; it is immutable and thread-safe.
/// </summary>
public sealed class JwsVerifier
{
    private readonly JwsRules _rules;

    /// <summary>A verifier with <paramref name="options"/> (the allowed algorithms, the required <c>typ</c>, the maximum length, the understood <c>crit</c> names), or the defaults. Immutable and thread-safe.</summary>
    public JwsVerifier(JwsVerificationOptions? options = null)
    {
        options ??= new JwsVerificationOptions();
        _rules = new JwsRules(options.AllowedAlgorithms, options.RequiredType, options.MaxTokenLength, options.UnderstoodCriticalHeaders);
    }

    /// <summary>Verifies <paramref name="token"/> with <paramref name="key"/>, whatever <c>kid</c> the token names.</summary>
    public JwsVerification Verify(string token, Jwk key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Verify(token, key.SingleKeySet);
    }

    /// <summary>Verifies <paramref name="token"/> with the key its <c>kid</c> names in <paramref name="keys"/>.</summary>
    public JwsVerification Verify(ReadOnlySpan<char> token, JwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (token.Length > _rules.MaxTokenLength)
        {
            return JwsVerification.Fail(JoseError.TooLarge);
        }

        byte[]? rented = null;
        Span<byte> utf8 = token.Length <= JwsCompactCore.StackLimit
            ? stackalloc byte[JwsCompactCore.StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        try
        {
            JoseError? error = JwsCompactCore.CheckAndNarrow(token, _rules.MaxTokenLength, utf8);
            return error is not null ? JwsVerification.Fail(error) : Verify(utf8[..token.Length], keys);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Verifies a token given as ASCII bytes.</summary>
    public JwsVerification Verify(ReadOnlySpan<byte> token, JwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        JoseError? error = JwsCompactCore.Verify(token, keys, _rules, out VerifiedJws verified);
        if (error is not null)
        {
            return JwsVerification.Fail(error);
        }

        byte[] payload = new byte[StrictBase64Url.GetDecodedLength(verified.EncodedPayload.Length)];
        return StrictBase64Url.TryDecode(verified.EncodedPayload, payload, out _)
            ? new JwsVerification(payload, verified.Algorithm, verified.Key, null)
            : JwsVerification.Fail(JoseError.MalformedBase64);
    }
}
