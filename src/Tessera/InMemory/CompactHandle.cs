using System.Buffers;
using System.Buffers.Text;

namespace Tessera.InMemory;

/// <summary>
/// A session handle as <see cref="RandomIds.New128"/> makes it (16 random bytes, 22 base64url
/// characters) held as its 16 bytes: 56 bytes less per session than the string. Only the canonical
/// text qualifies (the bytes encode back to the very same characters), so every handle reads back
/// exactly as it was given.
/// </summary>
internal static class CompactHandle
{
    private const int TextLength = 22;

    /// <summary>The 16 bytes of <paramref name="handle"/> when it is canonical 128-bit base64url.</summary>
    public static bool TryDecode(string handle, Span<byte> bytes)
    {
        if (handle.Length != TextLength || bytes.Length < Bytes16.Length)
        {
            return false;
        }

        if (Base64Url.DecodeFromChars(handle, bytes, out int consumed, out int written) != OperationStatus.Done || consumed != TextLength || written != Bytes16.Length)
        {
            return false;
        }

        // The last character carries 4 unused bits: only the form with them zero encodes back the same.
        Span<char> again = stackalloc char[TextLength];
        return Base64Url.EncodeToChars(bytes[..Bytes16.Length], again) == TextLength && again.SequenceEqual(handle);
    }

    /// <summary>The text of a handle held as bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
