using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Unicode;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jwt;

/// <summary>
/// Reads the registered claims of a JWT payload in one forward pass (RFC 7519 §4.1, §7.2 step 10).
/// Issuer and audience strings that equal an accepted value reuse the policy's instance, so a
/// valid token allocates no strings for them.
/// </summary>
internal static class JwtClaimsReader
{
    private const int FastPathMembers = 32;
    private const int MaxInternedLength = 256;

    // DateTimeOffset's range, in Unix seconds: a NumericDate outside it is malformed.
    internal const long MinNumericDate = -62_135_596_800;
    internal const long MaxNumericDate = 253_402_300_799;

    /// <summary>Reads the registered claims; <paramref name="fastPath"/> false (tests only) always takes the JSON reader.</summary>
    public static JoseError? TryRead(ReadOnlySpan<byte> payload, JwtPolicyRules rules, out JwtRegisteredClaims claims, out uint customClaimsSeen, bool fastPath = true)
    {
        claims = default;
        customClaimsSeen = 0;
        try
        {
            return Read(payload, rules, ref claims, ref customClaimsSeen, fastPath);
        }
        catch (JsonException exception)
        {
            return StrictJson.Classify(exception);
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string value, or a value of an unexpected token type.
            return JoseError.MalformedPayload;
        }
    }

    private static JoseError? Read(ReadOnlySpan<byte> payload, JwtPolicyRules rules, ref JwtRegisteredClaims claims, ref uint customClaimsSeen, bool fastPath)
    {
        // RFC 7519 §7.2 step 10: the claims are UTF-8 JSON. The reader does not check the values it
        // skips, and a claim that cannot be decoded would throw later, in the caller's hands.
        // Nor may any string be half a surrogate pair (StrictJson.HasLoneSurrogateEscape): mapping the claims would throw on it.
        if (!Utf8.IsValid(payload) || StrictJson.HasLoneSurrogateEscape(payload))
        {
            return JoseError.MalformedPayload;
        }

        // The common flat shape is read without the JSON reader; anything else, and every
        // refusal, is this reader's (JwtClaimsFastReader accepts a subset of what it accepts).
        if (fastPath && JwtClaimsFastReader.TryRead(payload, rules, out claims))
        {
            return null;
        }

        claims = default;
        var reader = new Utf8JsonReader(payload, StrictJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return JoseError.MalformedPayload;
        }

        Span<long> names = stackalloc long[FastPathMembers];
        int nameCount = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!MemberNames.TryRemember(payload, ref reader, names, ref nameCount))
            {
                return JoseError.DuplicateMember;
            }

            claims.NeedsFullCheck |= reader.ValueIsEscaped || nameCount > FastPathMembers;
            Claim claim = Identify(ref reader, rules.RequiredCustomClaims, ref customClaimsSeen);
            if (!reader.Read())
            {
                return JoseError.MalformedPayload;
            }

            JoseError? error = claim switch
            {
                Claim.Iss => ReadString(ref reader, "iss", rules.ValidIssuers, rules.ValidIssuersUtf8, out claims.Issuer),
                Claim.Sub => ReadDeferredString(payload, ref reader, "sub", out claims.Subject, out claims.SubjectRaw),
                Claim.Jti => ReadDeferredString(payload, ref reader, "jti", out claims.JwtId, out claims.JwtIdRaw),
                Claim.Aud => ReadAudience(ref reader, rules.ValidAudiences, rules.ValidAudiencesUtf8, out claims.Audience),
                Claim.Exp => ReadNumericDate(ref reader, "exp", out claims.ExpiresAt),
                Claim.Nbf => ReadNumericDate(ref reader, "nbf", out claims.NotBefore),
                Claim.Iat => ReadNumericDate(ref reader, "iat", out claims.IssuedAt),
                _ => SkipOther(ref reader, ref claims.NeedsFullCheck),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return reader.TokenType != JsonTokenType.EndObject || reader.Read() ? JoseError.MalformedPayload : null;
    }

    internal enum Claim
    {
        Other,
        Iss,
        Sub,
        Aud,
        Exp,
        Nbf,
        Iat,
        Jti,
    }

    private static Claim Identify(ref Utf8JsonReader reader, string[] requiredCustomClaims, ref uint customClaimsSeen)
    {
        // An unescaped name is its own bytes: match them directly instead of asking the reader
        // seven times. Escaped names (rare, and sent to the slow path anyway) are unescaped by the reader.
        Claim claim = reader.ValueIsEscaped ? IdentifyEscaped(ref reader) : IdentifyRaw(reader.ValueSpan);
        if (claim == Claim.Other)
        {
            for (int i = 0; i < requiredCustomClaims.Length; i++)
            {
                if (reader.ValueTextEquals(requiredCustomClaims[i]))
                {
                    customClaimsSeen |= 1u << i;
                }
            }
        }

        return claim;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static Claim IdentifyRaw(ReadOnlySpan<byte> name) => name.Length != 3 ? Claim.Other : (name[0] | (name[1] << 8) | (name[2] << 16)) switch
    {
        'i' | ('s' << 8) | ('s' << 16) => Claim.Iss,
        's' | ('u' << 8) | ('b' << 16) => Claim.Sub,
        'a' | ('u' << 8) | ('d' << 16) => Claim.Aud,
        'e' | ('x' << 8) | ('p' << 16) => Claim.Exp,
        'n' | ('b' << 8) | ('f' << 16) => Claim.Nbf,
        'i' | ('a' << 8) | ('t' << 16) => Claim.Iat,
        'j' | ('t' << 8) | ('i' << 16) => Claim.Jti,
        _ => Claim.Other,
    };

    private static Claim IdentifyEscaped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("iss"u8) ? Claim.Iss
        : reader.ValueTextEquals("sub"u8) ? Claim.Sub
        : reader.ValueTextEquals("aud"u8) ? Claim.Aud
        : reader.ValueTextEquals("exp"u8) ? Claim.Exp
        : reader.ValueTextEquals("nbf"u8) ? Claim.Nbf
        : reader.ValueTextEquals("iat"u8) ? Claim.Iat
        : reader.ValueTextEquals("jti"u8) ? Claim.Jti
        : Claim.Other;

    /// <summary>
    /// Steps over a claim this reader does not take. Only an object can hide a repeated member name
    /// (RFC 7515 §5.2, RFC 8725 §3.2), so only a value with an object in it needs the full check;
    /// an array of scalars (<c>"roles":[]</c>, <c>"amr":["pwd"]</c>: #13, every Tessera access token
    /// has one) is syntax-checked and depth-limited by this reader as it steps over it, and needs nothing more.
    /// </summary>
    private static JoseError? SkipOther(ref Utf8JsonReader reader, ref bool needsFullCheck)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            needsFullCheck |= reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            return null;
        }

        int depth = reader.CurrentDepth;
        while (reader.Read() && (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != depth))
        {
            needsFullCheck |= reader.TokenType == JsonTokenType.StartObject;
        }

        return null;
    }

    private static JoseError? ReadString(ref Utf8JsonReader reader, string claim, FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? accepted, AcceptedUtf8[]? acceptedUtf8, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return JoseError.ClaimMalformed(claim, $"'{claim}' must be a string");
        }

        value = ReadInterned(ref reader, accepted, acceptedUtf8);
        return null;
    }

    /// <summary>
    /// A string claim whose string is made only when someone reads it: an unescaped value is
    /// remembered by where it sits in <paramref name="payload"/> (valid UTF-8, checked above, so
    /// decoding it later cannot fail and gives what the reader would have); an escaped one is read now.
    /// </summary>
    private static JoseError? ReadDeferredString(ReadOnlySpan<byte> payload, ref Utf8JsonReader reader, string claim, out string? value, out RawClaimString raw)
    {
        value = null;
        raw = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return JoseError.ClaimMalformed(claim, $"'{claim}' must be a string");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence && payload.Overlaps(reader.ValueSpan, out int offset))
        {
            raw = RawClaimString.At(offset, reader.ValueSpan.Length);
        }
        else
        {
            value = reader.GetString();
        }

        return null;
    }

    private static JoseError? ReadAudience(ref Utf8JsonReader reader, FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? accepted, AcceptedUtf8[]? acceptedUtf8, out object? audience)
    {
        audience = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            audience = ReadInterned(ref reader, accepted, acceptedUtf8);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JoseError.ClaimMalformed("aud", "'aud' must be a string or an array of strings");
        }

        var values = new List<string>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return JoseError.ClaimMalformed("aud", "'aud' must be a string or an array of strings");
            }

            values.Add(ReadInterned(ref reader, accepted, acceptedUtf8));
        }

        audience = values.ToArray();
        return null;
    }

    private static string ReadInterned(ref Utf8JsonReader reader, FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? accepted, AcceptedUtf8[]? acceptedUtf8)
    {
        if (acceptedUtf8 is not null && !reader.ValueIsEscaped)
        {
            // An unescaped string is its own UTF-8 bytes, and every accepted value is here in
            // UTF-8: a match is that value; anything else is no accepted value.
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            foreach (AcceptedUtf8 candidate in acceptedUtf8)
            {
                if (raw.SequenceEqual(candidate.Utf8))
                {
                    return candidate.Value;
                }
            }

            return reader.GetString()!;
        }

        if (accepted is { } lookup && reader.ValueSpan.Length <= MaxInternedLength)
        {
            // The unescaped text is never longer, in UTF-16 code units, than its escaped UTF-8 form.
            Span<char> buffer = stackalloc char[reader.ValueSpan.Length];
            int length = reader.CopyString(buffer);
            if (lookup.TryGetValue(buffer[..length], out string? known))
            {
                return known;
            }
        }

        return reader.GetString()!;
    }

    private static JoseError? ReadNumericDate(ref Utf8JsonReader reader, string claim, out long? seconds)
    {
        seconds = null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return JoseError.ClaimMalformed(claim, $"'{claim}' must be a NumericDate (a JSON number of seconds)");
        }

        // RFC 7519 §2: NumericDate may carry a fraction; we keep whole seconds.
        if (reader.TryGetInt64(out long whole))
        {
            seconds = whole;
        }
        else if (reader.TryGetDouble(out double value) && double.IsFinite(value) && value is >= MinNumericDate and <= MaxNumericDate)
        {
            seconds = (long)Math.Floor(value);
        }

        return seconds is >= MinNumericDate and <= MaxNumericDate
            ? null
            : JoseError.ClaimMalformed(claim, $"'{claim}' is not a representable NumericDate");
    }
}
