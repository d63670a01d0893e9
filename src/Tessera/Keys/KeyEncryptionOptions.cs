namespace Tessera.Keys;

/// <summary>
/// The key-encryption key (KEK) of the Data Protection key ring (section <c>Tessera:KeyEncryption</c>):
/// an X.509 certificate whose RSA key encrypts every Data Protection key before it is stored, so a
/// copy of the database or the data folder alone does not open the signing keys or the refresh
/// secret they protect (ASVS 5 V13.3.1/V11.4: secrets encrypted at rest with a key kept apart).
/// </summary>
public sealed class KeyEncryptionOptions
{
    /// <summary>The configuration section the server binds.</summary>
    public const string Section = "Tessera:KeyEncryption";

    /// <summary>The setting that names the certificate file, for messages that tell an operator what to set.</summary>
    public const string CertificatePathSetting = Section + ":" + nameof(CertificatePath);

    /// <summary>The PKCS#12 (.pfx/.p12) file with the certificate and its RSA private key: encrypts new keys, decrypts.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password; best given as an environment variable, never on a command line.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Certificates that encrypted keys in the past (rotation): they decrypt the keys they wrote,
    /// and encrypt nothing new. Data Protection never re-encrypts a stored key, so keep one here as
    /// long as keys it encrypted are in the ring.
    /// </summary>
    public List<KeyEncryptionCertificateFile> Previous { get; set; } = [];

    /// <summary>Whether a certificate is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);
}

/// <summary>A certificate file and its password (<c>Tessera:KeyEncryption:Previous:N:…</c>).</summary>
public sealed class KeyEncryptionCertificateFile
{
    /// <summary>The path of a <c>.pfx</c> file with the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The <c>.pfx</c> file's password, if it has one (from a secret store or the environment, not a committed file).</summary>
    public string? CertificatePassword { get; set; }
}
