namespace Tessera.Server.Tests.KeyEncryption;

/// <summary>What a Data Protection key's stored XML says about its master key.</summary>
internal static class KeyRingXml
{
    /// <summary>
    /// The key is encrypted: its descriptor is an <c>encryptedSecret</c> holding XML Encryption's
    /// <c>EncryptedData</c>, and no <c>masterKey</c> element (whose <c>value</c> is the plaintext key) is left.
    /// </summary>
    public static void AssertEncrypted(string xml)
    {
        Assert.Contains("<key ", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
    }
}
