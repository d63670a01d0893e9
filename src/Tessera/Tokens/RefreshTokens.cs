using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Refresh tokens. Each one names its session and its generation, so that a token of ANY older
/// generation is recognised as reuse (RFC 9700 §4.14.2) with nothing stored per retired token
/// (issue #14 finding 5): base64url of
/// <c>0x02 | generation (8 bytes, big-endian) | handle length (1 byte) | handle (ASCII) | 32 secret bytes | 16-byte tag</c>.
/// The first token's secret bytes are random; each next one's are HMAC-SHA256 of the presented token
/// under the server's refresh secret (protected at rest in the key ring), so a refresh that loses
/// the race, or repeats within the grace window, computes exactly the token the winner got: the
/// grace answer creates no second live branch, and nothing recoverable is stored to make it
/// possible. The tag (HMAC-SHA256 under the same secret, another label, truncated to 128 bits)
/// proves the server minted the token, so knowing a session's handle (it is public: the <c>sid</c>
/// of its access tokens) is not enough to forge an old token and end someone's session. Whoever
/// lacks the server secret can neither compute the next token nor forge a tag. The store keeps the
/// SHA-256 of the whole decoded token.
/// A version-1 token (43 characters: 256 bits, before generations) is still read: it is current or
/// previous in sessions that have not rotated since the upgrade, and its successor is a version-2 token.
/// </summary>
internal static class RefreshTokens
{
    private const byte Version = 2;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + sizeof(long) + 1;

    /// <summary>Handles are 22 characters (128 bits, base64url); a caller-named one may be up to this long.</summary>
    public const int MaximumHandleLength = 64;

    private static readonly byte[] NextLabel = Encoding.ASCII.GetBytes("tessera refresh token v2\0");
    private static readonly byte[] TagLabel = Encoding.ASCII.GetBytes("tessera refresh tag v2\0");

    /// <summary>The first token of session <paramref name="handle"/> (generation 0): random secret bytes, tagged.</summary>
    public static (string Token, byte[] Hash) First(ReadOnlySpan<byte> key, string handle)
    {
        Span<byte> secret = stackalloc byte[SessionSecret.ByteLength];
        RandomNumberGenerator.Fill(secret);
        try
        {
            return Mint(key, handle, 0, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// The token that replaces <paramref name="presented"/> in session <paramref name="handle"/>, at
    /// <paramref name="generation"/> (one more than the session's when it was presented), and its hash.
    /// </summary>
    public static (string Token, byte[] Hash) Next(ReadOnlySpan<byte> key, string handle, string presented, long generation)
    {
        byte[] input = [.. NextLabel, .. Encoding.ASCII.GetBytes(handle), 0, .. BigEndian(generation), .. Encoding.ASCII.GetBytes(presented)];
        Span<byte> secret = stackalloc byte[SessionSecret.ByteLength];
        try
        {
            HMACSHA256.HashData(key, input, secret);
            return Mint(key, handle, generation, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// Reads a presented token: its hash (what the store keys on), and for a version-2 token the
    /// session handle and generation it names. False for anything not of a shape we issue, so junk
    /// never reaches the store. Says nothing about authenticity: see <see cref="IsAuthentic"/>.
    /// </summary>
    public static bool TryRead(string? presented, out PresentedRefreshToken token)
    {
        token = default;
        if (presented is null)
        {
            return false;
        }

        if (presented.Length == SessionSecret.EncodedLength)
        {
            byte[] legacyHash = new byte[SessionSecret.HashLength];
            if (!SessionSecret.TryHash(presented, legacyHash))
            {
                return false;
            }

            token = new PresentedRefreshToken(legacyHash, null, null, null);
            return true;
        }

        int maxBytes = HeaderLength + MaximumHandleLength + SessionSecret.ByteLength + TagLength;
        if (presented.Length > Base64Url.GetEncodedLength(maxBytes) || presented.Length < Base64Url.GetEncodedLength(HeaderLength + 1 + SessionSecret.ByteLength + TagLength))
        {
            return false;
        }

        byte[] bytes = new byte[Base64Url.GetMaxDecodedLength(presented.Length)];
        if (Base64Url.DecodeFromChars(presented, bytes, out int consumed, out int written) != System.Buffers.OperationStatus.Done || consumed != presented.Length)
        {
            return false;
        }

        bytes = bytes[..written];
        if (bytes[0] != Version || !Canonical(bytes, presented))
        {
            return false;
        }

        long generation = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        int handleLength = bytes[HeaderLength - 1];
        if (generation < 0 || handleLength is < 1 or > MaximumHandleLength || bytes.Length != HeaderLength + handleLength + SessionSecret.ByteLength + TagLength)
        {
            return false;
        }

        ReadOnlySpan<byte> handleBytes = bytes.AsSpan(HeaderLength, handleLength);
        foreach (byte b in handleBytes)
        {
            if (!IsHandleCharacter(b))
            {
                return false;
            }
        }

        token = new PresentedRefreshToken(SHA256.HashData(bytes), Encoding.ASCII.GetString(handleBytes), generation, bytes);
        return true;
    }

    /// <summary>Whether the tag of a version-2 token was made with <paramref name="key"/> (constant time).</summary>
    public static bool IsAuthentic(ReadOnlySpan<byte> key, PresentedRefreshToken token)
    {
        if (token.Bytes is not { } bytes)
        {
            return false;
        }

        Span<byte> tag = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Tag(key, bytes.AsSpan(0, bytes.Length - TagLength), tag);
        return CryptographicOperations.FixedTimeEquals(tag[..TagLength], bytes.AsSpan(bytes.Length - TagLength));
    }

    private static (string Token, byte[] Hash) Mint(ReadOnlySpan<byte> key, string handle, long generation, ReadOnlySpan<byte> secret)
    {
        if (handle.Length is < 1 or > MaximumHandleLength || !handle.All(c => c < 128 && IsHandleCharacter((byte)c)))
        {
            throw new ArgumentException($"A refresh token's session handle is 1 to {MaximumHandleLength} base64url characters.", nameof(handle));
        }

        byte[] bytes = new byte[HeaderLength + handle.Length + SessionSecret.ByteLength + TagLength];
        try
        {
            bytes[0] = Version;
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), generation);
            bytes[HeaderLength - 1] = (byte)handle.Length;
            Encoding.ASCII.GetBytes(handle, bytes.AsSpan(HeaderLength));
            secret.CopyTo(bytes.AsSpan(HeaderLength + handle.Length));
            Span<byte> tag = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Tag(key, bytes.AsSpan(0, bytes.Length - TagLength), tag);
            tag[..TagLength].CopyTo(bytes.AsSpan(bytes.Length - TagLength));
            return (Base64Url.EncodeToString(bytes), SHA256.HashData(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static void Tag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body, Span<byte> tag)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(TagLabel);
        hmac.AppendData(body);
        hmac.GetHashAndReset(tag);
    }

    // One token, one spelling: refuse non-canonical base64url (stray low bits in the last character).
    private static bool Canonical(byte[] bytes, string presented) =>
        string.Equals(Base64Url.EncodeToString(bytes), presented, StringComparison.Ordinal);

    private static bool IsHandleCharacter(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_';

    private static byte[] BigEndian(long value)
    {
        byte[] bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}

/// <summary>
/// A presented refresh token as <see cref="RefreshTokens.TryRead"/> read it: <see cref="Hash"/> always;
/// <see cref="Handle"/>, <see cref="Generation"/> and the decoded <see cref="Bytes"/> for a version-2 token (null for version 1).
/// </summary>
internal readonly record struct PresentedRefreshToken(byte[] Hash, string? Handle, long? Generation, byte[]? Bytes);
