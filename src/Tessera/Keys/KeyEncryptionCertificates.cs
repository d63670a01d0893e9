using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Keys;

/// <summary>
/// The certificates of <see cref="KeyEncryptionOptions"/>, opened and checked: the current one (it
/// encrypts new Data Protection keys and decrypts) and the previous ones (they only decrypt). The
/// server and the <c>tessera key</c> commands hand them to Data Protection's own
/// <c>ProtectKeysWithCertificate</c> and <c>UnprotectKeysWithAnyCertificate</c>: XML Encryption
/// with the certificate's RSA key, no cryptography of ours.
/// </summary>
public sealed class KeyEncryptionCertificates : IDisposable
{
    private KeyEncryptionCertificates(X509Certificate2 current, IReadOnlyList<X509Certificate2> previous)
    {
        Current = current;
        Previous = previous;
    }

    /// <summary>The certificate new keys are encrypted with; it also decrypts them.</summary>
    public X509Certificate2 Current { get; }

    /// <summary>Earlier certificates, kept only to decrypt keys written before a rotation.</summary>
    public IReadOnlyList<X509Certificate2> Previous { get; }

    /// <summary>
    /// Opens the configured files; <see cref="InvalidOperationException"/> naming the setting and the
    /// file (never the password) when one is missing, unreadable, has no private key or no RSA key.
    /// </summary>
    public static KeyEncryptionCertificates Load(KeyEncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException($"{KeyEncryptionOptions.CertificatePathSetting} is not set.");
        }

        var opened = new List<X509Certificate2>();
        try
        {
            opened.Add(Open(KeyEncryptionOptions.CertificatePathSetting, options.CertificatePath!, options.CertificatePassword));
            for (int i = 0; i < options.Previous.Count; i++)
            {
                KeyEncryptionCertificateFile file = options.Previous[i];
                string setting = $"{KeyEncryptionOptions.Section}:Previous:{i}:CertificatePath";
                if (string.IsNullOrWhiteSpace(file.CertificatePath))
                {
                    throw new InvalidOperationException($"{setting} is not set: each previous key-encryption certificate needs its file.");
                }

                opened.Add(Open(setting, file.CertificatePath, file.CertificatePassword));
            }

            return new KeyEncryptionCertificates(opened[0], opened[1..]);
        }
        catch
        {
            opened.ForEach(c => c.Dispose());
            throw;
        }
    }

    /// <summary>Disposes every opened certificate (they hold private keys).</summary>
    public void Dispose()
    {
        Current.Dispose();
        foreach (X509Certificate2 certificate in Previous)
        {
            certificate.Dispose();
        }
    }

    private static X509Certificate2 Open(string setting, string path, string? password)
    {
        string full = Path.GetFullPath(path);
        string cannot = $"{setting} names '{full}', which cannot be used as the key-encryption certificate";
        if (!File.Exists(full))
        {
            throw new InvalidOperationException($"{cannot}: there is no such file.");
        }

        X509Certificate2 certificate;
        try
        {
            // Ephemeral: the private key stays in memory, never copied to a key store on disk (not on macOS, which has none).
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password, OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            // "…CertificatePath" → "…CertificatePassword": the setting to check, never its value.
            throw new InvalidOperationException($"{cannot}: it is not a PKCS#12 (.pfx) file, or {setting[..^"Path".Length]}Password is wrong.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{cannot}: the server may not read it.");
        }

        using RSA? rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            // XML Encryption of the key ring wraps each key with the certificate's RSA key (RSA-OAEP).
            throw new InvalidOperationException($"{cannot}: it must hold an RSA certificate with its private key.");
        }

        return certificate;
    }
}
