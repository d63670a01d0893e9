using Microsoft.AspNetCore.DataProtection.Repositories;
using Tessera.Keys;

namespace Tessera.Cli.Keys;

/// <summary>
/// The server's key-encryption certificate for <c>tessera key …</c>, from the environment variables
/// the server reads (<c>Tessera__KeyEncryption__CertificatePath</c>, <c>…__CertificatePassword</c>,
/// <c>…__Previous__0__CertificatePath</c>…): an operator who runs the CLI beside the server has
/// them set already, and a password stays off the command line.
/// </summary>
internal static class CliKeyEncryption
{
    private const string Prefix = "Tessera__KeyEncryption__";

    /// <summary>The certificates, or null when none is set; <see cref="CliException"/> when one cannot be opened.</summary>
    public static KeyEncryptionCertificates? FromEnvironment()
    {
        var options = new KeyEncryptionOptions
        {
            CertificatePath = Environment.GetEnvironmentVariable(Prefix + "CertificatePath"),
            CertificatePassword = Environment.GetEnvironmentVariable(Prefix + "CertificatePassword"),
        };
        for (int i = 0; Environment.GetEnvironmentVariable($"{Prefix}Previous__{i}__CertificatePath") is { Length: > 0 } path; i++)
        {
            options.Previous.Add(new KeyEncryptionCertificateFile { CertificatePath = path, CertificatePassword = Environment.GetEnvironmentVariable($"{Prefix}Previous__{i}__CertificatePassword") });
        }

        if (!options.IsConfigured)
        {
            return null;
        }

        try
        {
            return KeyEncryptionCertificates.Load(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(CliErrorCodes.KeyEncryption, $"{ex.Message} (the CLI reads the server's settings from the Tessera__KeyEncryption__… environment variables)");
        }
    }

    /// <summary>Whether any key of the ring is stored encrypted (Data Protection's <c>encryptedSecret</c>).</summary>
    public static bool IsEncrypted(IXmlRepository repository) =>
        repository.GetAllElements().Any(key => key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret"));

    public static CliException Required() => new(
        CliErrorCodes.KeyEncryption,
        "the server's key ring is encrypted with its key-encryption certificate: set Tessera__KeyEncryption__CertificatePath and Tessera__KeyEncryption__CertificatePassword as for the server");
}
