using System.Buffers;
using System.Text;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jws;

/// <summary>What a successful compact verification established.</summary>
internal readonly ref struct VerifiedJws
{
    public VerifiedJws(JwsAlgorithm algorithm, Jwk key, ReadOnlySpan<byte> encodedPayload)
    {
        Algorithm = algorithm;
        Key = key;
        EncodedPayload = encodedPayload;
    }

    public JwsAlgorithm Algorithm { get; }

    public Jwk Key { get; }

    /// <summary>The payload part, still base64url: decoded only after the signature verified.</summary>
    public ReadOnlySpan<byte> EncodedPayload { get; }
}

/// <summary>
/// The one JWS compact verification routine (RFC 7515 §5.2) that every public verify operation
/// shares: shape, header, algorithm policy, key selection, signature. Payload parsing is the
/// caller's, and happens only after this has said yes.
/// </summary>
internal static class JwsCompactCore
{
    /// <summary>Inputs up to this size are worked on in stack memory; larger ones rent from the pool.</summary>
    public const int StackLimit = 1024;

    /// <summary>No supported key makes a longer signature (RSA-8192 makes 1024 bytes).</summary>
    private const int MaxSignatureBytes = 1024;

    /// <summary>Headers are small; a larger one is hostile.</summary>
    private const int MaxHeaderBytes = 8 * 1024;

    /// <summary>When a token names no <c>kid</c>, at most this many keys are tried.</summary>
    private const int MaxKeysTriedWithoutKid = 8;

    private static readonly SearchValues<byte> CompactBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."u8);

    /// <summary>
    /// Checks that <paramref name="token"/> is ASCII compact-serialization text and narrows it to bytes.
    /// Returns null and the byte length on success.
    /// </summary>
    public static JoseError? CheckAndNarrow(ReadOnlySpan<char> token, int maxLength, Span<byte> destination)
    {
        if (token.Length > maxLength)
        {
            return JoseError.TooLarge;
        }

        // Narrowed first (a non-ASCII character stops it), then checked as bytes: half the data
        // to scan, and every character outside the compact alphabet is still refused.
        if (token.IsEmpty
            || Ascii.FromUtf16(token, destination, out _) != OperationStatus.Done
            || destination[..token.Length].ContainsAnyExcept(CompactBytes))
        {
            return JoseError.Malformed;
        }

        return null;
    }

    /// <summary>
    /// Verifies a compact JWS. <paramref name="compactCharsChecked"/>: the caller narrowed the
    /// token with <see cref="CheckAndNarrow"/>, so every byte is already known to be base64url or
    /// '.', and the parts' alphabet need not be scanned again (their length and last character still are).
    /// </summary>
    public static JoseError? Verify(ReadOnlySpan<byte> token, JwkSet keys, JwsRules rules, out VerifiedJws verified, bool compactCharsChecked = false)
    {
        verified = default;
        if (token.Length > rules.MaxTokenLength)
        {
            return JoseError.TooLarge;
        }

        // Exactly three parts: header.payload.signature (RFC 7515 §7.1). JWE's five parts are not a JWS.
        int firstDot = token.IndexOf((byte)'.');
        int secondDot = firstDot < 0 ? -1 : token[(firstDot + 1)..].IndexOf((byte)'.');
        if (secondDot < 0)
        {
            return JoseError.Malformed;
        }

        secondDot += firstDot + 1;
        if (token[(secondDot + 1)..].Contains((byte)'.'))
        {
            return JoseError.Malformed;
        }

        ReadOnlySpan<byte> encodedHeader = token[..firstDot];
        ReadOnlySpan<byte> encodedPayload = token[(firstDot + 1)..secondDot];
        ReadOnlySpan<byte> encodedSignature = token[(secondDot + 1)..];

        int headerLength = StrictBase64Url.GetDecodedLength(encodedHeader.Length);
        int signatureLength = StrictBase64Url.GetDecodedLength(encodedSignature.Length);
        if (headerLength <= 0 || signatureLength < 0)
        {
            return JoseError.MalformedBase64;
        }

        if (headerLength > MaxHeaderBytes)
        {
            return JoseError.TooLarge;
        }

        if (signatureLength > MaxSignatureBytes)
        {
            return JoseError.SignatureInvalid;
        }

        // A header met before, on a token that verified under these rules, was read then: what
        // it established is remembered (VerifiedHeaderCache), and only the checks below repeat.
        VerifiedHeaderCache.Entry? known = rules.VerifiedHeaders.Find(encodedHeader);
        int headerBuffer = known is null ? headerLength : 0;

        // Stack buffers are sized to what they can receive (stack memory is zeroed on entry, so
        // a fixed 1 KiB costs on every call): a header member's value is shorter than the header.
        byte[]? rentedHeader = null;
        Span<byte> header = headerBuffer <= StackLimit
            ? stackalloc byte[headerBuffer]
            : (rentedHeader = ArrayPool<byte>.Shared.Rent(headerBuffer));
        try
        {
            Span<char> algBuffer = stackalloc char[Math.Min(JwsHeaderReader.MaxAlgorithmLength, headerBuffer)];
            Span<char> kidBuffer = stackalloc char[Math.Min(JwsHeaderReader.MaxKeyIdLength, headerBuffer)];
            Span<char> typBuffer = stackalloc char[Math.Min(JwsHeaderReader.MaxTypeLength, headerBuffer)];
            scoped JwsHeaderFacts facts;
            JoseError? error;
            if (known is not null)
            {
                facts = known.ToFacts();
            }
            else
            {
                if (!StrictBase64Url.TryDecode(encodedHeader, header, out headerLength, compactCharsChecked))
                {
                    return JoseError.MalformedBase64;
                }

                header = header[..headerLength];
                error = JwsHeaderReader.TryRead(header, algBuffer, kidBuffer, typBuffer, out facts);
                if (error is not null)
                {
                    return error;
                }

                if (facts.NeedsFullCheck || facts.HasCrit)
                {
                    error = CheckHeaderSlowPath(header, rules);
                    if (error is not null)
                    {
                        return error;
                    }
                }
            }

            JwsAlgorithm algorithm = facts.Algorithm;
            if (rules.AllowedAlgorithms is not null && !rules.AllowedAlgorithms.Contains(algorithm))
            {
                return JoseError.AlgNotAllowed;
            }

            if (rules.RequiredType is not null && (!facts.HasType || !JwsTypes.Matches(facts.Type, rules.RequiredType)))
            {
                return JoseError.TypeInvalid;
            }

            Span<byte> signature = stackalloc byte[signatureLength];
            if (!StrictBase64Url.TryDecode(encodedSignature, signature, out signatureLength, compactCharsChecked))
            {
                return JoseError.MalformedBase64;
            }

            // The payload's encoding is checked before the signature so that a token with a
            // non-canonical payload is malformed whichever key is used.
            if (!StrictBase64Url.IsCanonical(encodedPayload, compactCharsChecked))
            {
                return JoseError.MalformedBase64;
            }

            ReadOnlySpan<byte> signingInput = token[..secondDot];
            error = facts.HasKeyId
                ? VerifyWithKeyId(keys, rules, facts.KeyId, algorithm, signingInput, signature[..signatureLength], out Jwk? key)
                : VerifyWithoutKeyId(keys, rules, algorithm, signingInput, signature[..signatureLength], out key);
            if (error is not null)
            {
                return error;
            }

            if (known is null)
            {
                rules.VerifiedHeaders.Add(encodedHeader, in facts);
            }

            verified = new VerifiedJws(algorithm, key!, encodedPayload);
            return null;
        }
        finally
        {
            if (rentedHeader is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedHeader);
            }
        }
    }

    private static JoseError? CheckHeaderSlowPath(ReadOnlySpan<byte> header, JwsRules rules)
    {
        using JsonDocument? document = StrictJson.TryParse(header.ToArray(), out JoseError? error);
        if (document is null)
        {
            return error == JoseError.MalformedPayload ? JoseError.MalformedHeader : error;
        }

        return JwsCritical.Validate(document.RootElement, rules.UnderstoodCriticalHeaders);
    }

    private static JoseError? VerifyWithKeyId(JwkSet keys, JwsRules rules, ReadOnlySpan<char> keyId, JwsAlgorithm algorithm,
        ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature, out Jwk? key)
    {
        key = null;
        ReadOnlySpan<Jwk> candidates = keys.FindByKeyId(keyId);
        if (candidates.IsEmpty)
        {
            return JoseError.KeyNotFound;
        }

        bool tried = false;
        foreach (Jwk candidate in candidates)
        {
            if (!rules.KeyMayVerify(candidate, algorithm))
            {
                continue;
            }

            tried = true;
            if (candidate.VerifySignature(algorithm, signingInput, signature))
            {
                key = candidate;
                return null;
            }
        }

        return tried ? JoseError.SignatureInvalid : JoseError.AlgKeyMismatch;
    }

    private static JoseError? VerifyWithoutKeyId(JwkSet keys, JwsRules rules, JwsAlgorithm algorithm,
        ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature, out Jwk? key)
    {
        key = null;
        int tried = 0;
        foreach (Jwk candidate in keys.Keys)
        {
            if (!rules.KeyMayVerify(candidate, algorithm))
            {
                continue;
            }

            if (++tried > MaxKeysTriedWithoutKid)
            {
                break;
            }

            if (candidate.VerifySignature(algorithm, signingInput, signature))
            {
                key = candidate;
                return null;
            }
        }

        return tried == 0 ? (keys.Keys.Count == 0 ? JoseError.KeyNotFound : JoseError.AlgKeyMismatch) : JoseError.SignatureInvalid;
    }
}
