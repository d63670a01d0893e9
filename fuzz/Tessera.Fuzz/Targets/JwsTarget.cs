using System.Buffers.Text;
using System.Text;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The JWS/JWT compact parser (RFC 7515 §5.2, RFC 7519 §7.2): any bytes through
/// <see cref="JwtValidator"/>, <see cref="JwsVerifier"/> and <see cref="JwtDecoder"/>. Documented
/// behaviour: a result, never an exception. Properties: the byte and character entry points give the same verdict,
/// and a token that verifies is the canonical serialization of what it carries (re-encoding its
/// three decoded parts gives back the same bytes, RFC 7515 §2 base64url without padding).
/// </summary>
internal static class JwsTarget
{
    private static readonly JwtValidator Validator = new(new JwtValidationPolicy
    {
        // Whatever each key permits, so the RFC tokens (HS256, RS256, PS384, ES256, ES512, EdDSA) verify.
        RequiredClaims = [],
        ValidIssuers = ["joe", "https://issuer.example"],
        TimeProvider = FixedTime.Default,
    });

    private static readonly JwsVerifier Verifier = new(new JwsVerificationOptions { UnderstoodCriticalHeaders = ["b64"] });

    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.Latin1.GetString(input);
        foreach (JwkSet keys in (JwkSet[])[FuzzKeys.Public, FuzzKeys.Symmetric])
        {
            JwtValidation fromBytes = Validator.Validate(input, keys);
            JwtValidation fromChars = Validator.Validate(text, keys);
            // The verdicts agree; the reason may not: the byte entry point checks the alphabet part by
            // part, as it reads, so a bad character after a bad header is named later than by the
            // character entry point, which narrows the whole token first.
            FuzzPropertyException.Check(fromBytes.IsValid == fromChars.IsValid,
                $"JwtValidator: bytes say {fromBytes.Error?.Code ?? "valid"}, characters say {fromChars.Error?.Code ?? "valid"}");

            JwsVerification verified = Verifier.Verify(input, keys);
            JwsVerification verifiedChars = Verifier.Verify(text.AsSpan(), keys);
            FuzzPropertyException.Check(verified.IsValid == verifiedChars.IsValid,
                $"JwsVerifier: bytes say {verified.Error?.Code ?? "valid"}, characters say {verifiedChars.Error?.Code ?? "valid"}");
            if (verified.IsValid)
            {
                CheckCanonical(input, verified.Payload!);
            }

            if (fromBytes.IsValid)
            {
                FuzzPropertyException.Check(verified.IsValid, "a token JwtValidator accepts is a JWS JwsVerifier accepts");
                CheckCanonical(input, fromBytes.Claims!.RawPayload.Span);
            }
        }

        if (JwtDecoder.TryDecodeUnverified(text, out UnverifiedJwt? decoded, out _))
        {
            FuzzPropertyException.Check(decoded is not null, "TryDecodeUnverified said yes and gave nothing");
        }
    }

    /// <summary>header.payload.signature, each part the unpadded base64url of its bytes and nothing else.</summary>
    private static void CheckCanonical(ReadOnlySpan<byte> token, ReadOnlySpan<byte> payload)
    {
        int first = token.IndexOf((byte)'.');
        int second = first + 1 + token[(first + 1)..].IndexOf((byte)'.');
        ReadOnlySpan<byte> encodedPayload = token[(first + 1)..second];
        FuzzPropertyException.Check(encodedPayload.SequenceEqual(Base64Url.EncodeToUtf8(payload)),
            "the payload of a verified token re-encodes to the same bytes");
        foreach (Range part in new[] { new Range(0, first), new Range(second + 1, token.Length) })
        {
            ReadOnlySpan<byte> encoded = token[part];
            byte[] decoded = Base64Url.DecodeFromUtf8(encoded);
            FuzzPropertyException.Check(encoded.SequenceEqual(Base64Url.EncodeToUtf8(decoded)),
                "the header and signature of a verified token re-encode to the same bytes");
        }
    }
}
