using System.Text.Json;
using System.Text.Unicode;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jws;

/// <summary>What verification needs from a protected header, read without allocating.</summary>
internal ref struct JwsHeaderFacts
{
    public JwsAlgorithm Algorithm;

    /// <summary>The unescaped <c>kid</c>, or empty with <see cref="HasKeyId"/> false.</summary>
    public ReadOnlySpan<char> KeyId;
    public bool HasKeyId;

    /// <summary>The unescaped <c>typ</c>, or empty with <see cref="HasType"/> false.</summary>
    public ReadOnlySpan<char> Type;
    public bool HasType;

    /// <summary>The header uses <c>crit</c>: checked on the slow path.</summary>
    public bool HasCrit;

    /// <summary>Nested objects, escaped or many member names: duplicates are checked on the slow path.</summary>
    public bool NeedsFullCheck;
}

/// <summary>
/// Reads a JWS protected header (RFC 7515 §4) in one forward pass with <see cref="Utf8JsonReader"/>.
/// <c>jku</c>, <c>x5u</c>, <c>x5c</c> and an embedded <c>jwk</c> are read past and never used to
/// find keys: keys come only from the caller.
/// </summary>
internal static class JwsHeaderReader
{
    /// <summary>The longest <c>kid</c> we look up; longer ones cannot match a key we would hold.</summary>
    public const int MaxKeyIdLength = 512;
    public const int MaxTypeLength = 128;
    public const int MaxAlgorithmLength = 16;

    /// <summary>Top-level members compared on the fast path; more go to the slow path.</summary>
    private const int FastPathMembers = 16;

    public static JoseError? TryRead(ReadOnlySpan<byte> header, Span<char> algBuffer, Span<char> kidBuffer, Span<char> typBuffer, out JwsHeaderFacts facts)
    {
        facts = default;
        try
        {
            return Read(header, algBuffer, kidBuffer, typBuffer, ref facts);
        }
        catch (JsonException exception)
        {
            JoseError error = StrictJson.Classify(exception);
            return error == JoseError.MalformedPayload ? JoseError.MalformedHeader : error;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 in a string value, reported while unescaping or transcoding.
            return JoseError.MalformedHeader;
        }
    }

    private static JoseError? Read(ReadOnlySpan<byte> header, Span<char> algBuffer, Span<char> kidBuffer, Span<char> typBuffer, ref JwsHeaderFacts facts)
    {
        // RFC 7515 §5.2 step 4: the header must be UTF-8. The reader does not check the values it
        // skips, and parsers that repair bad bytes differently would disagree on the member names.
        // Nor may any string be half a surrogate pair (StrictJson.HasLoneSurrogateEscape), read here or by the caller.
        if (!Utf8.IsValid(header) || StrictJson.HasLoneSurrogateEscape(header))
        {
            return JoseError.MalformedHeader;
        }

        var reader = new Utf8JsonReader(header, StrictJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return JoseError.MalformedHeader;
        }

        Span<long> names = stackalloc long[FastPathMembers];
        int nameCount = 0;
        bool sawAlg = false;
        bool algTooLong = false;
        ReadOnlySpan<char> alg = default;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!MemberNames.TryRemember(header, ref reader, names, ref nameCount))
            {
                return JoseError.DuplicateMember;
            }

            facts.NeedsFullCheck |= reader.ValueIsEscaped || nameCount > FastPathMembers;
            HeaderMember member = Identify(ref reader);
            if (!reader.Read())
            {
                return JoseError.MalformedHeader;
            }

            switch (member)
            {
                case HeaderMember.Alg:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return JoseError.MissingAlg;
                    }

                    // An escaped twin ("\u0061lg") slips past the fast duplicate check; a second
                    // alg must be refused as a duplicate before either value is interpreted.
                    if (sawAlg)
                    {
                        return JoseError.DuplicateMember;
                    }

                    sawAlg = true;

                    // No supported name is longer than the buffer; a longer one is simply unsupported.
                    algTooLong = reader.ValueSpan.Length > algBuffer.Length;
                    alg = algTooLong ? default : algBuffer[..reader.CopyString(algBuffer)];
                    break;
                case HeaderMember.Kid:
                    if (!TryCopyString(ref reader, kidBuffer, MaxKeyIdLength, out facts.KeyId))
                    {
                        return new JoseError(JoseErrorCodes.Malformed, $"'kid' must be a string of at most {MaxKeyIdLength} characters");
                    }

                    facts.HasKeyId = true;
                    break;
                case HeaderMember.Typ:
                    if (!TryCopyString(ref reader, typBuffer, MaxTypeLength, out facts.Type))
                    {
                        return new JoseError(JoseErrorCodes.Malformed, $"'typ' must be a string of at most {MaxTypeLength} characters");
                    }

                    facts.HasType = true;
                    break;
                case HeaderMember.Cty:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return new JoseError(JoseErrorCodes.Malformed, "'cty' must be a string");
                    }

                    break;
                case HeaderMember.Crit:
                    facts.HasCrit = true;
                    reader.Skip();
                    break;
                case HeaderMember.B64:
                    // RFC 7797 unencoded payloads change what is signed; we only sign and verify encoded ones.
                    if (reader.TokenType != JsonTokenType.True)
                    {
                        return JoseError.B64Unsupported;
                    }

                    break;
                default:
                    facts.NeedsFullCheck |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return JoseError.MalformedHeader;
        }

        if (!sawAlg)
        {
            return JoseError.MissingAlg;
        }

        if (JwsAlgorithms.IsNone(alg))
        {
            return JoseError.AlgNone;
        }

        if (algTooLong || !JwsAlgorithms.TryGet(alg, out facts.Algorithm))
        {
            return JoseError.AlgUnsupported;
        }

        return null;
    }

    private static bool TryCopyString(scoped ref Utf8JsonReader reader, Span<char> buffer, int maxLength, out ReadOnlySpan<char> value)
    {
        value = default;
        // The raw (escaped) length bounds the unescaped length, so the copy always fits.
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > Math.Min(maxLength, buffer.Length))
        {
            return false;
        }

        value = buffer[..reader.CopyString(buffer)];
        return true;
    }

    private enum HeaderMember
    {
        Other,
        Alg,
        Kid,
        Typ,
        Cty,
        Crit,
        B64,
    }

    /// <summary>An unescaped name is matched on its own bytes; an escaped one through the reader, which unescapes it.</summary>
    private static HeaderMember Identify(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? IdentifyEscaped(ref reader) : IdentifyRaw(reader.ValueSpan);

    private static HeaderMember IdentifyRaw(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 => (name[0] | (name[1] << 8) | (name[2] << 16)) switch
        {
            'a' | ('l' << 8) | ('g' << 16) => HeaderMember.Alg,
            'k' | ('i' << 8) | ('d' << 16) => HeaderMember.Kid,
            't' | ('y' << 8) | ('p' << 16) => HeaderMember.Typ,
            'c' | ('t' << 8) | ('y' << 16) => HeaderMember.Cty,
            'b' | ('6' << 8) | ('4' << 16) => HeaderMember.B64,
            _ => HeaderMember.Other,
        },
        4 when name.SequenceEqual("crit"u8) => HeaderMember.Crit,
        _ => HeaderMember.Other,
    };

    private static HeaderMember IdentifyEscaped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("alg"u8) ? HeaderMember.Alg
        : reader.ValueTextEquals("kid"u8) ? HeaderMember.Kid
        : reader.ValueTextEquals("typ"u8) ? HeaderMember.Typ
        : reader.ValueTextEquals("cty"u8) ? HeaderMember.Cty
        : reader.ValueTextEquals("crit"u8) ? HeaderMember.Crit
        : reader.ValueTextEquals("b64"u8) ? HeaderMember.B64
        : HeaderMember.Other;
}
