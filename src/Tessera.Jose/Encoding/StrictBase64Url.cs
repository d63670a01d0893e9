using System.Buffers;
using System.Buffers.Text;

namespace Tessera.Jose.Encoding;

/// <summary>
/// Base64url (RFC 4648 §5) as JOSE requires it (RFC 7515 §2): no padding, no whitespace, no
/// characters outside the URL-safe alphabet, and canonical — the unused low bits of the last
/// character must be zero, so every byte string has exactly one accepted encoding.
/// The framework's decoder is lenient on all of these, so we check first and decode second.
/// </summary>
public static class StrictBase64Url
{
    private static readonly SearchValues<char> AlphabetChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly SearchValues<byte> AlphabetBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>The number of bytes <paramref name="encodedLength"/> characters decode to, or -1 when no canonical encoding has that length.</summary>
    public static int GetDecodedLength(int encodedLength)
    {
        if (encodedLength < 0 || encodedLength % 4 == 1)
        {
            return -1;
        }

        return (int)((long)encodedLength * 3 / 4);
    }

    /// <summary>The number of characters <paramref name="byteLength"/> bytes encode to, without padding.</summary>
    public static int GetEncodedLength(int byteLength) => Base64Url.GetEncodedLength(byteLength);

    /// <summary>Encodes <paramref name="data"/> as unpadded base64url text.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Encodes <paramref name="data"/> into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> characters; returns the characters written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination) => Base64Url.EncodeToChars(data, destination);

    /// <summary>Encodes <paramref name="data"/> as UTF-8 base64url bytes into <paramref name="utf8Destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> utf8Destination) => Base64Url.EncodeToUtf8(data, utf8Destination);

    /// <summary>True when <paramref name="encoded"/> is canonical unpadded base64url.</summary>
    public static bool IsCanonical(ReadOnlySpan<char> encoded)
    {
        if (encoded.Length % 4 == 1 || encoded.ContainsAnyExcept(AlphabetChars))
        {
            return false;
        }

        return encoded.IsEmpty || HasZeroTrailingBits(encoded.Length, encoded[^1]);
    }

    /// <summary>True when the UTF-8 <paramref name="encoded"/> is canonical unpadded base64url.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> encoded) => IsCanonical(encoded, alphabetChecked: false);

    /// <summary>
    /// As <see cref="IsCanonical(ReadOnlySpan{byte})"/>; with <paramref name="alphabetChecked"/> the
    /// caller has already established that every byte is in the base64url alphabet (a compact
    /// token whose characters were all checked), so only the length and the last character are.
    /// </summary>
    internal static bool IsCanonical(ReadOnlySpan<byte> encoded, bool alphabetChecked)
    {
        if (encoded.Length % 4 == 1 || (!alphabetChecked && encoded.ContainsAnyExcept(AlphabetBytes)))
        {
            return false;
        }

        return encoded.IsEmpty || HasZeroTrailingBits(encoded.Length, (char)encoded[^1]);
    }

    /// <summary>Decodes canonical base64url into <paramref name="destination"/>; false on any non-canonical input or a short destination.</summary>
    public static bool TryDecode(ReadOnlySpan<char> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetDecodedLength(encoded.Length);
        if (length < 0 || length > destination.Length || !IsCanonical(encoded))
        {
            return false;
        }

        return Base64Url.TryDecodeFromChars(encoded, destination, out written);
    }

    /// <summary>Decodes canonical UTF-8 base64url into <paramref name="destination"/>; false on any non-canonical input or a short destination.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written) =>
        TryDecode(encoded, destination, out written, alphabetChecked: false);

    /// <summary>As <see cref="TryDecode(ReadOnlySpan{byte}, Span{byte}, out int)"/>, the alphabet already checked when <paramref name="alphabetChecked"/>.</summary>
    internal static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written, bool alphabetChecked)
    {
        written = 0;
        int length = GetDecodedLength(encoded.Length);
        if (length < 0 || length > destination.Length || !IsCanonical(encoded, alphabetChecked))
        {
            return false;
        }

        OperationStatus status = Base64Url.DecodeFromUtf8(encoded, destination, out _, out written);
        return status == OperationStatus.Done;
    }

    /// <summary>Decodes canonical base64url to a new array, or null when the input is not canonical.</summary>
    public static byte[]? DecodeOrNull(ReadOnlySpan<char> encoded)
    {
        int length = GetDecodedLength(encoded.Length);
        if (length < 0)
        {
            return null;
        }

        byte[] bytes = new byte[length];
        return TryDecode(encoded, bytes, out int written) && written == length ? bytes : null;
    }

    private static bool HasZeroTrailingBits(int length, char last)
    {
        int value = SixBitValue(last);
        return (length % 4) switch
        {
            2 => (value & 0x0F) == 0, // 12 bits carry 8: the low 4 must be zero
            3 => (value & 0x03) == 0, // 18 bits carry 16: the low 2 must be zero
            _ => true,
        };
    }

    private static int SixBitValue(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
