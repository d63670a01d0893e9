using Microsoft.AspNetCore.DataProtection;
using Tessera.Keys;

namespace Tessera.Server.Hosting;

/// <summary>
/// Encrypts the Data Protection key ring with the key-encryption certificate of
/// <c>Tessera:KeyEncryption</c>, through Data Protection's own <c>ProtectKeysWithCertificate</c>
/// (new keys) and <c>UnprotectKeysWithAnyCertificate</c> (keys the previous certificates wrote).
/// Outside Development a server without one refuses to start (issue #14 finding 3: the keys that
/// protect the signing keys must not sit in plaintext beside them, in a backup or a dump).
/// </summary>
internal static class KeyRingEncryption
{
    /// <summary>
    /// Registers the certificates, or a start-up failure that names the setting: the host's
    /// validation runs before any hosted service, so a refused start writes no key at all.
    /// </summary>
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        KeyEncryptionOptions options = configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new KeyEncryptionOptions();
        string? problem = null;
        if (options.IsConfigured)
        {
            try
            {
                // Held by Data Protection for the process's lifetime.
                var certificates = KeyEncryptionCertificates.Load(options);
                IDataProtectionBuilder dataProtection = services.AddDataProtection().ProtectKeysWithCertificate(certificates.Current);
                if (certificates.Previous.Count > 0)
                {
                    dataProtection.UnprotectKeysWithAnyCertificate([.. certificates.Previous]);
                }

                // A ring written before the certificate gets an encrypted default key at start.
                services.AddHostedService<PlaintextKeyReplacement>();
            }
            catch (InvalidOperationException ex)
            {
                problem = ex.Message;
            }
        }
        else if (!environment.IsDevelopment())
        {
            problem = $"{KeyEncryptionOptions.CertificatePathSetting} is not set. Outside Development the Data Protection keys, which protect " +
                "the signing keys and the refresh secret, must be encrypted with a key-encryption certificate kept apart from the data: set " +
                $"{KeyEncryptionOptions.CertificatePathSetting} (a .pfx file) and {KeyEncryptionOptions.Section}:CertificatePassword, " +
                "or run a developer machine with ASPNETCORE_ENVIRONMENT=Development (docs/server.md, \"Key-encryption key\").";
        }

        if (problem is not null)
        {
            services.AddOptions<KeyEncryptionOptions>().Validate(_ => false, problem).ValidateOnStart();
        }

        return services;
    }
}
