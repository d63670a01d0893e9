using System.Buffers;
using System.Runtime.CompilerServices;
using Tessera.Jose.Json;
using Claim = Tessera.Jose.Jwt.JwtClaimsReader.Claim;

namespace Tessera.Jose.Jwt;

/// <summary>
/// A single forward scan of the common JWT payload shape: one flat JSON object (RFC 8259) whose
/// member names and string values are unescaped, whose numbers are integers and whose values are
/// scalars. Such a payload is read here without <see cref="System.Text.Json.Utf8JsonReader"/>,
/// which on a typical access token costs more than everything else outside the MAC.
/// It never decides a refusal: anything outside that shape — an escape, a control character,
/// a fraction or exponent, a nested value, a repeated name, a claim of the wrong type, a
/// NumericDate out of range, trailing bytes, a byte order mark — makes it answer "not mine",
/// and <see cref="JwtClaimsReader"/> reads the payload as before and gives the precise error.
/// So it accepts a strict subset of what the reader accepts, and reads the same claims from it.
/// </summary>
internal static class JwtClaimsFastReader
{
    private const int MaxMembers = 32;

    // An integer of up to 18 digits fits a long; a NumericDate needs at most 12.
    private const int MaxDigits = 18;

    // What ends the scan of a string's content: its closing quote, or something this reader
    // leaves to the general one (an escape, or a control character, which RFC 8259 §7 forbids raw).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    /// <summary>
    /// True when the payload had the simple shape and <paramref name="claims"/> holds what it
    /// carries (then it is valid JSON with no repeated names, and needs no full check); false
    /// when the caller must read it with <see cref="JwtClaimsReader"/>. The caller has checked
    /// that <paramref name="payload"/> is valid UTF-8.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, JwtPolicyRules rules, out JwtRegisteredClaims claims)
    {
        claims = default;

        // Required custom claims and long accepted lists are matched on the general path.
        if (rules.RequiredCustomClaims.Length > 0
            || (rules.ValidIssuers is not null && rules.ValidIssuersUtf8 is null)
            || (rules.ValidAudiences is not null && rules.ValidAudiencesUtf8 is null))
        {
            return false;
        }

        int i = SkipWhitespace(payload, 0);
        if (i >= payload.Length || payload[i] != (byte)'{')
        {
            return false;
        }

        // Not stackalloc: a method with a loop and a stackalloc is compiled once, fully but without
        // profile-guided inlining (no on-stack replacement); this one should tier up like any other.
        var slots = default(NameSlots);
        Span<long> names = slots;
        int count = 0;
        i = SkipWhitespace(payload, i + 1);
        if (i < payload.Length && payload[i] == (byte)'}')
        {
            claims.ReadFlat = true;
            return SkipWhitespace(payload, i + 1) == payload.Length;
        }

        while (true)
        {
            // A member: "name" ws ':' ws value.
            if (!TryString(payload, ref i, out int nameStart, out int nameLength) || count >= MaxMembers)
            {
                return false;
            }

            ReadOnlySpan<byte> name = payload.Slice(nameStart, nameLength);
            if (!MemberNames.TryRemember(payload, name, names, ref count))
            {
                return false;
            }

            i = SkipWhitespace(payload, i);
            if (i >= payload.Length || payload[i] != (byte)':')
            {
                return false;
            }

            i = SkipWhitespace(payload, i + 1);
            Claim claim = JwtClaimsReader.IdentifyRaw(name);
            if (i >= payload.Length || !TryValue(payload, ref i, claim, rules, ref claims))
            {
                return false;
            }

            // Remembered so that JwtClaims.Confirmation needs no second look at an unbound token.
            claims.HasConfirmation |= claim == Claim.Other && name.SequenceEqual("cnf"u8);

            i = SkipWhitespace(payload, i);
            if (i >= payload.Length)
            {
                return false;
            }

            if (payload[i] == (byte)'}')
            {
                claims.ReadFlat = true;
                return SkipWhitespace(payload, i + 1) == payload.Length;
            }

            if (payload[i] != (byte)',')
            {
                return false;
            }

            // No trailing comma: a name must follow (TryString checks the quote).
            i = SkipWhitespace(payload, i + 1);
        }
    }

    private static bool TryValue(ReadOnlySpan<byte> payload, ref int i, Claim claim, JwtPolicyRules rules, ref JwtRegisteredClaims claims)
    {
        byte first = payload[i];
        if (first == (byte)'"')
        {
            if (!TryString(payload, ref i, out int start, out int length))
            {
                return false;
            }

            ReadOnlySpan<byte> value = payload.Slice(start, length);
            switch (claim)
            {
                case Claim.Iss:
                    claims.Issuer = Interned(value, rules.ValidIssuersUtf8);
                    return true;
                case Claim.Aud:
                    claims.Audience = Interned(value, rules.ValidAudiencesUtf8);
                    return true;
                case Claim.Sub:
                    claims.SubjectRaw = RawClaimString.At(start, length);
                    return true;
                case Claim.Jti:
                    claims.JwtIdRaw = RawClaimString.At(start, length);
                    return true;
                case Claim.Other:
                    return true;
                default:
                    return false; // a NumericDate given as a string: the general reader names the error
            }
        }

        if (first == (byte)'-' || (first >= (byte)'0' && first <= (byte)'9'))
        {
            if (!TryInteger(payload, ref i, out long number))
            {
                return false;
            }

            if (claim is Claim.Exp or Claim.Nbf or Claim.Iat)
            {
                if (number is < JwtClaimsReader.MinNumericDate or > JwtClaimsReader.MaxNumericDate)
                {
                    return false;
                }

                if (claim == Claim.Exp)
                {
                    claims.ExpiresAt = number;
                }
                else if (claim == Claim.Nbf)
                {
                    claims.NotBefore = number;
                }
                else
                {
                    claims.IssuedAt = number;
                }

                return true;
            }

            return claim == Claim.Other;
        }

        // true, false, null: only as claims we do not read (a registered claim of that type is an error there).
        ReadOnlySpan<byte> rest = payload[i..];
        int literal = rest.StartsWith("true"u8) ? 4 : rest.StartsWith("false"u8) ? 5 : rest.StartsWith("null"u8) ? 4 : 0;
        if (literal == 0 || claim != Claim.Other || !EndsValue(payload, i + literal))
        {
            return false;
        }

        i += literal;
        return true;
    }

    /// <summary>A string at <paramref name="i"/> with no escape and no control character; <paramref name="i"/> moves past its closing quote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryString(ReadOnlySpan<byte> payload, ref int i, out int start, out int length)
    {
        start = i + 1;
        length = 0;
        if (i >= payload.Length || payload[i] != (byte)'"')
        {
            return false;
        }

        int stop = payload[start..].IndexOfAny(StringStops);
        if (stop < 0 || payload[start + stop] != (byte)'"')
        {
            return false;
        }

        length = stop;
        i = start + stop + 1;
        return true;
    }

    /// <summary>An integer (RFC 8259 §6: -?(0|[1-9][0-9]*)) of at most 18 digits, not followed by a fraction or exponent.</summary>
    private static bool TryInteger(ReadOnlySpan<byte> payload, ref int i, out long number)
    {
        number = 0;
        int j = i;
        bool negative = payload[j] == (byte)'-';
        if (negative)
        {
            j++;
        }

        int digitsStart = j;
        while (j < payload.Length && payload[j] >= (byte)'0' && payload[j] <= (byte)'9')
        {
            if (j - digitsStart == MaxDigits)
            {
                return false;
            }

            number = (number * 10) + (payload[j] - '0');
            j++;
        }

        int digits = j - digitsStart;
        if (digits == 0 || (digits > 1 && payload[digitsStart] == (byte)'0') || !EndsValue(payload, j))
        {
            return false;
        }

        number = negative ? -number : number;
        i = j;
        return true;
    }

    /// <summary>True when a scalar value may end before <paramref name="i"/>: what follows is whitespace, ',' or '}' (a '.', 'e' or letter is not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndsValue(ReadOnlySpan<byte> payload, int i) =>
        i < payload.Length && payload[i] is (byte)',' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> payload, int i)
    {
        // RFC 8259 §2: the four insignificant whitespace characters, nothing else.
        while (i < payload.Length && payload[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>The accepted instance an unescaped value equals, else a new string (what the general reader would make).</summary>
    private static string Interned(ReadOnlySpan<byte> value, AcceptedUtf8[]? accepted)
    {
        if (accepted is not null)
        {
            foreach (AcceptedUtf8 candidate in accepted)
            {
                if (value.SequenceEqual(candidate.Utf8))
                {
                    return candidate.Value;
                }
            }
        }

        return System.Text.Encoding.UTF8.GetString(value);
    }

    /// <summary>The member names seen so far (MemberNames' slots), on the stack.</summary>
    [InlineArray(MaxMembers)]
    private struct NameSlots
    {
        private long _first;
    }
}
