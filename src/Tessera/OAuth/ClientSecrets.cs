using System.Security.Cryptography;
using Tessera.Sessions;

namespace Tessera.OAuth;

/// <summary>
/// Client secrets: 256 random bits that Tessera generates (never chosen by a person), so, as for
/// session secrets, an unsalted SHA-256 is enough to keep them at rest and keeps the token endpoint
/// free of a password-hash cost per request.
/// </summary>
public static class ClientSecrets
{
    /// <summary>A new secret (43 base64url characters) and its hash.</summary>
    public static (string Secret, byte[] Hash) Generate() => SessionSecret.Generate();

    /// <summary>True when <paramref name="presented"/> hashes to one of <paramref name="hashes"/>, compared in constant time.</summary>
    public static bool Matches(string? presented, IReadOnlyList<ReadOnlyMemory<byte>> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        Span<byte> hash = stackalloc byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(presented, hash))
        {
            return false;
        }

        bool matched = false;
        foreach (ReadOnlyMemory<byte> stored in hashes)
        {
            matched |= CryptographicOperations.FixedTimeEquals(hash, stored.Span);
        }

        return matched;
    }
}
