using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tessera.Sessions;

/// <summary>
/// The secret a client holds: 256 random bits, base64url (43 characters). The server keeps only
/// its SHA-256. A preimage search on 256 random bits is out of reach, so an unsalted fast hash is
/// enough here (unlike passwords), and it keeps the look-up a single indexed equality.
/// </summary>
public static class SessionSecret
{
    /// <summary>The secret's length in random bytes (256 bits).</summary>
    public const int ByteLength = 32;
    /// <summary>The stored hash's length (SHA-256).</summary>
    public const int HashLength = SHA256.HashSizeInBytes;

    /// <summary>The encoded length of a secret: 43 base64url characters, no padding.</summary>
    public static readonly int EncodedLength = Base64Url.GetEncodedLength(ByteLength);

    /// <summary>A new secret and its hash.</summary>
    public static (string Secret, byte[] Hash) Generate()
    {
        Span<byte> secret = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(secret);
        try
        {
            return (Base64Url.EncodeToString(secret), SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// Hashes a presented secret into <paramref name="hash"/>; false when it is not the shape we
    /// issue (wrong length, not base64url), so junk never reaches the store.
    /// </summary>
    public static bool TryHash(string? presented, Span<byte> hash)
    {
        if (presented is null || presented.Length != EncodedLength || hash.Length != HashLength)
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[ByteLength];
        try
        {
            if (Base64Url.DecodeFromChars(presented, secret, out int consumed, out int written) != System.Buffers.OperationStatus.Done
                || consumed != presented.Length || written != ByteLength)
            {
                return false;
            }

            // Refuse non-canonical encodings: one secret, one spelling.
            Span<char> canonical = stackalloc char[EncodedLength];
            if (!Base64Url.TryEncodeToChars(secret, canonical, out _) || !canonical.SequenceEqual(presented))
            {
                return false;
            }

            SHA256.HashData(secret, hash);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
