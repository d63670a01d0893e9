using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.OAuth;

/// <summary>
/// PKCE (RFC 7636) with S256 only: OAuth 2.1 and RFC 9700 §2.1.1 require it for every client, and
/// <c>plain</c> protects nothing against an attacker who sees the authorization request.
/// </summary>
public static class Pkce
{
    /// <summary>The only <c>code_challenge_method</c> Tessera accepts.</summary>
    public const string S256 = "S256";

    /// <summary>A challenge is base64url(SHA-256(verifier)): 43 characters, no padding (RFC 7636 §4.2).</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: 43 } && Base64Url.IsValid(challenge, out int decodedLength) && decodedLength == SHA256.HashSizeInBytes;

    /// <summary>A verifier is 43 to 128 unreserved characters (RFC 7636 §4.1).</summary>
    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>True when <paramref name="verifier"/> is well formed and hashes to <paramref name="challenge"/> (compared in constant time).</summary>
    public static bool Matches(string? verifier, string challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!IsValidVerifier(verifier) || !IsValidChallenge(challenge))
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(verifier!), computed);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        return Base64Url.DecodeFromChars(challenge, expected, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(computed, expected);
    }
}
