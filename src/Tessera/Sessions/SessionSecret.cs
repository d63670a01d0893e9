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
            byte[] hash = new byte[HashLength];
            Sha256(secret, hash);
            return (Base64Url.EncodeToString(secret), hash);
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

            Sha256(secret, hash);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// SHA-256 (FIPS 180-4) of a 32-byte secret, through libsodium (NSec, already Tessera's Argon2id
    /// library) rather than <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>: the session
    /// cookie's secret is hashed on every request, and for an input this short the cost is the call,
    /// not the hashing; OpenSSL 3's one-shot digest (a context made, fetched and freed each time)
    /// measured 3–4× the time of libsodium's in the same process (docs/benchmarks.md). Same function,
    /// same bytes: every stored hash still matches (SessionSecretTests compares the two).
    /// </summary>
    private static void Sha256(ReadOnlySpan<byte> secret, Span<byte> hash) =>
        NSec.Cryptography.HashAlgorithm.Sha256.Hash(secret, hash);
}
