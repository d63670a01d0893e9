using System.Security.Cryptography;
using System.Text;

namespace Tessera.Sessions;

/// <summary>
/// What identifies "the same client" for the refresh grace answer (issue #14 finding 4): the SHA-256
/// of its address and user agent, recorded by the rotation it won (<see cref="SessionRecord.RotatedBy"/>).
/// A retry or a second tab of that client matches; a replay of the previous refresh token from
/// anywhere else does not, and is reuse (RFC 9700 §4.14.2). Only a digest is stored, and it is
/// compared in constant time. When refresh tokens become sender-constrained (DPoP, RFC 9449 §5),
/// the proof key's JWK thumbprint is the field to add here: it is what a thief cannot copy.
/// </summary>
public static class SessionClientFingerprint
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("tessera rotating client v1\0");

    /// <summary>The fingerprint of <paramref name="client"/>: a SHA-256 over a fixed label, its address and its user agent (never the raw values), as recorded by the rotation it won.</summary>
    public static byte[] Of(SessionClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Label);
        Append(hash, client.IpAddress);
        Append(hash, client.UserAgent);
        return hash.GetHashAndReset();
    }

    /// <summary>True when <paramref name="client"/> is the one <paramref name="recorded"/> was taken from.</summary>
    public static bool Matches(ReadOnlyMemory<byte>? recorded, SessionClient client) =>
        recorded is { } digest && CryptographicOperations.FixedTimeEquals(digest.Span, Of(client));

    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ; null differs from "".
    private static void Append(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            hash.AppendData([0xFF, 0xFF, 0xFF, 0xFF]);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
