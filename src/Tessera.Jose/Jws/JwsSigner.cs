using System.Buffers;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jws;

/// <summary>Header choices when signing; the key supplies the rest.</summary>
public sealed record JwsSigningOptions
{
    /// <summary>The algorithm; null: the key's <c>alg</c>, or its type's default.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The <c>typ</c> header (e.g. <c>JWT</c>, <c>at+jwt</c>); null: omitted.</summary>
    public string? Type { get; init; }

    /// <summary>Whether to put the key's id (its <c>kid</c>, else its thumbprint) in the header.</summary>
    public bool IncludeKeyId { get; init; } = true;
}

/// <summary>Produces JWS compact serializations (RFC 7515 §5.1, §7.1).</summary>
public static class JwsSigner
{
    /// <summary>Signs <paramref name="payload"/> under a header built from <paramref name="options"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> payload, Jwk key, JwsSigningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= new JwsSigningOptions();
        JwsAlgorithm algorithm = ResolveAlgorithm(key, options.Algorithm);

        var header = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(header, StrictJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", algorithm.Name);
            if (options.IncludeKeyId)
            {
                writer.WriteString("kid", key.EffectiveKeyId);
            }

            if (options.Type is not null)
            {
                writer.WriteString("typ", options.Type);
            }

            writer.WriteEndObject();
        }

        return SignCore(header.WrittenSpan, payload, key, algorithm);
    }

    /// <summary>
    /// Signs with exactly these protected-header bytes (for reproducing published vectors, or
    /// headers with extra members). The header must be a strict JSON object with a supported
    /// <c>alg</c> that fits the key.
    /// </summary>
    public static string SignWithHeader(ReadOnlySpan<byte> protectedHeaderJson, ReadOnlySpan<byte> payload, Jwk key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<char> alg = stackalloc char[JwsHeaderReader.MaxAlgorithmLength];
        Span<char> kid = stackalloc char[JwsHeaderReader.MaxKeyIdLength];
        Span<char> typ = stackalloc char[JwsHeaderReader.MaxTypeLength];
        JoseError? error = JwsHeaderReader.TryRead(protectedHeaderJson, alg, kid, typ, out JwsHeaderFacts facts);
        if (error is null && (facts.NeedsFullCheck || facts.HasCrit))
        {
            // What the one-pass reader leaves to the verifier's slow path (escaped or nested
            // duplicates, crit's form) is checked here too: never sign a header verifiers must refuse.
            error = CheckWholeHeader(protectedHeaderJson);
        }

        if (error is not null)
        {
            throw new JoseException(error);
        }

        if (!key.Permits(facts.Algorithm, JwkOperation.Sign))
        {
            throw new JoseException(NotPermitted(key, facts.Algorithm));
        }

        return SignCore(protectedHeaderJson, payload, key, facts.Algorithm);
    }

    private static JoseError? CheckWholeHeader(ReadOnlySpan<byte> header)
    {
        using JsonDocument? document = StrictJson.TryParse(header.ToArray(), out JoseError? error);
        return document is null
            ? (error == JoseError.MalformedPayload ? JoseError.MalformedHeader : error)
            : JwsCritical.Validate(document.RootElement, understood: null);
    }

    internal static JwsAlgorithm ResolveAlgorithm(Jwk key, string? name)
    {
        JwsAlgorithm algorithm;
        if (name is null)
        {
            algorithm = key.DefaultAlgorithm;
        }
        else if (JwsAlgorithms.IsNone(name))
        {
            throw new JoseException(JoseError.AlgNone);
        }
        else if (!JwsAlgorithms.TryGet(name, out algorithm!))
        {
            throw new JoseException(new JoseError(JoseErrorCodes.AlgorithmUnsupported, $"'{name}' is not a supported algorithm"));
        }

        return key.Permits(algorithm, JwkOperation.Sign) ? algorithm : throw new JoseException(NotPermitted(key, algorithm));
    }

    private static JoseError NotPermitted(Jwk key, JwsAlgorithm algorithm) => key.HasPrivateKey
        ? new JoseError(JoseErrorCodes.AlgorithmNotAllowed, $"the {key.Kty} key does not permit signing with {algorithm.Name}")
        : new JoseError(JoseErrorCodes.KeyInvalid, "signing needs a private key");

    private static string SignCore(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Jwk key, JwsAlgorithm algorithm)
    {
        int headerChars = StrictBase64Url.GetEncodedLength(header.Length);
        int payloadChars = StrictBase64Url.GetEncodedLength(payload.Length);
        int signatureBytes = key.GetSignatureSize(algorithm);
        int signatureChars = StrictBase64Url.GetEncodedLength(signatureBytes);
        int inputLength = headerChars + 1 + payloadChars;
        int total = inputLength + 1 + signatureChars;

        byte[] buffer = ArrayPool<byte>.Shared.Rent(total + signatureBytes);
        try
        {
            Span<byte> output = buffer.AsSpan(0, total);
            StrictBase64Url.Encode(header, output);
            output[headerChars] = (byte)'.';
            StrictBase64Url.Encode(payload, output[(headerChars + 1)..]);
            output[inputLength] = (byte)'.';

            Span<byte> signature = buffer.AsSpan(total, signatureBytes);
            key.Sign(algorithm, output[..inputLength], signature);
            StrictBase64Url.Encode(signature, output[(inputLength + 1)..]);
            return System.Text.Encoding.ASCII.GetString(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
