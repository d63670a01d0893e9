using System.Buffers.Binary;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.WebUtilities;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// Whether the Data Protection key that protected a value can still be opened from the key
/// repository as it is now. Data Protection and the key ring both keep what they decrypted in
/// memory, so a running server whose keys folder was emptied, or whose key-encryption certificate
/// went away, goes on signing until its next restart, which then fails. This reads the keys again
/// (<see cref="IKeyManager.GetAllKeys"/> parses the repository on every call) so readiness says so
/// before that restart.
/// </summary>
internal static class DataProtectionKeyCheck
{
    // The protected payload starts with a magic header and the id of the key that protected it
    // (Data Protection's authenticated payload format, "Magic header" and "Key Id").
    private const uint MagicHeader = 0x09F0C9F0;
    private const int HeaderLength = 4 + 16;

    /// <summary>Null when the key that protected <paramref name="protectedValue"/> loads; else why not (no secret in it).</summary>
    public static string? Problem(IKeyManager keys, string protectedValue, string what)
    {
        byte[] payload;
        try
        {
            payload = WebEncoders.Base64UrlDecode(protectedValue);
        }
        catch (FormatException)
        {
            return $"{what} is not a Data Protection payload.";
        }

        if (payload.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(payload) != MagicHeader)
        {
            return $"{what} is not a Data Protection payload.";
        }

        var keyId = new Guid(payload.AsSpan(4, 16));
        IKey? key = keys.GetAllKeys().FirstOrDefault(k => k.KeyId == keyId);
        if (key is null)
        {
            return $"the Data Protection key {keyId} that protects {what} is missing from the key repository (a lost or emptied keys folder, "
                + "or instances that share a store but not their Data Protection keys). Restore the keys, or retire the signing key so that a new one is made.";
        }

        if (key.IsRevoked)
        {
            return $"the Data Protection key {keyId} that protects {what} is revoked.";
        }

        try
        {
            // Decrypts the key's XML (with the key-encryption certificate where there is one).
            _ = key.CreateEncryptor();
            return null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or InvalidOperationException or System.Xml.XmlException)
        {
            return $"the Data Protection key {keyId} that protects {what} cannot be opened ({ex.GetType().Name}): is the key-encryption certificate still there?";
        }
    }
}
