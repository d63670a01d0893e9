using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tessera;

/// <summary>Random public identifiers (user ids, session handles, order ids): 128 bits, base64url.</summary>
public static class RandomIds
{
    /// <summary>128 random bits as 22 base64url characters.</summary>
    public static string New128()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
