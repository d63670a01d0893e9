using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Refresh tokens have the shape of session secrets (256 bits, base64url, only the SHA-256 stored).
/// The first one of a session is random; each next one is HMAC-SHA256 of the presented one under
/// the server's refresh secret (protected at rest in the key ring), so that a refresh that loses the
/// race, or repeats within the grace window, computes exactly the token the winner got: the grace
/// answer creates no second live branch, and nothing recoverable is stored to make it possible.
/// Whoever lacks the server secret cannot compute the next token from a stolen one.
/// </summary>
internal static class RefreshTokens
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("tessera refresh token v1\0");

    /// <summary>The token that replaces <paramref name="presented"/> in session <paramref name="handle"/>, and its hash.</summary>
    public static (string Token, byte[] Hash) Next(ReadOnlySpan<byte> secret, string handle, string presented)
    {
        byte[] input = [.. Label, .. Encoding.ASCII.GetBytes(handle), 0, .. Encoding.ASCII.GetBytes(presented)];
        Span<byte> next = stackalloc byte[SessionSecret.ByteLength];
        try
        {
            HMACSHA256.HashData(secret, input, next);
            return (Base64Url.EncodeToString(next), SHA256.HashData(next));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(next);
        }
    }
}
