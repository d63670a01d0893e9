namespace Tessera.Jose.Keys;

/// <summary>
/// Writes a JWS ECDSA signature (RFC 7518 §3.4: R || S, fixed length) as the DER
/// <c>Ecdsa-Sig-Value</c> OpenSSL verifies (RFC 3279 §2.2.3: <c>SEQUENCE { r INTEGER, s INTEGER }</c>),
/// on the caller's stack. .NET does the same conversion for
/// <see cref="System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation"/>
/// through an <c>AsnWriter</c> that allocates a 1 KiB buffer per verification (#13: the ES256
/// cache-miss path). The encoding is the canonical one (X.690 §8.3.2: minimal two's complement), so
/// OpenSSL sees exactly what .NET would give it; whether 0 &lt; r, s &lt; n is still OpenSSL's check.
/// </summary>
internal static class EcdsaDer
{
    /// <summary>Enough for P-521: a sequence header of 3 bytes and two integers of 2 + 67 bytes.</summary>
    public const int MaxLength = 3 + (2 * (2 + 67));

    /// <summary>Writes <c>SEQUENCE { r, s }</c> for the unsigned big-endian halves into <paramref name="destination"/>; returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, Span<byte> destination)
    {
        int rLength = IntegerContentLength(r);
        int sLength = IntegerContentLength(s);
        int content = 2 + rLength + 2 + sLength;
        int at = 0;
        destination[at++] = 0x30; // SEQUENCE
        if (content >= 0x80)
        {
            // X.690 §8.1.3.5: the long form, one length byte (content is at most 138 bytes).
            destination[at++] = 0x81;
        }

        destination[at++] = (byte)content;
        at = WriteInteger(r, rLength, destination, at);
        at = WriteInteger(s, sLength, destination, at);
        return at;
    }

    /// <summary>The INTEGER's content length: leading zero bytes dropped, one 0x00 added when the top bit is set (the value is unsigned), at least one byte.</summary>
    private static int IntegerContentLength(ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> significant = value.TrimStart((byte)0);
        return significant.Length == 0 ? 1 : significant.Length + (significant[0] >= 0x80 ? 1 : 0);
    }

    private static int WriteInteger(ReadOnlySpan<byte> value, int length, Span<byte> destination, int at)
    {
        ReadOnlySpan<byte> significant = value.TrimStart((byte)0);
        destination[at++] = 0x02; // INTEGER
        destination[at++] = (byte)length;
        if (length > significant.Length)
        {
            destination[at++] = 0x00; // zero itself, or the sign byte of a value with its top bit set
        }

        significant.CopyTo(destination[at..]);
        return at + significant.Length;
    }
}
