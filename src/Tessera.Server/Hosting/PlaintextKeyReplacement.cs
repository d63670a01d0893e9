using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Hosting;

/// <summary>
/// A key ring written before a key-encryption certificate was configured (an upgrade, or a
/// Development folder moved to production) still holds Data Protection keys in plaintext, and Data
/// Protection never re-encrypts a stored key: the plaintext default key would go on protecting new
/// signing keys and refresh secrets for up to 90 days. At start, with a certificate configured, this
/// makes a new key (encrypted with the certificate) the default at once when any unexpired key is
/// stored in plaintext, and warns the operator, who must also replace what the plaintext keys
/// protected (the signing keys: <c>tessera key rotate</c>, then <c>tessera key retire</c>).
/// The plaintext keys stay, so what they protect still opens; they are not revoked. Registered after
/// the stores' migrations (the PostgreSQL key table must exist); on an upgraded ring the key ring's
/// own start-up check makes no new signing key, so nothing new meets the plaintext default.
/// </summary>
internal sealed partial class PlaintextKeyReplacement(
    IKeyManager keys, IOptions<KeyManagementOptions> keyManagement, ILogger<PlaintextKeyReplacement> logger) : IHostedService
{
    private static readonly XName KeyElement = "key";
    // In Data Protection's own XML namespace (http://schemas.asp.net/2015/03/dataProtection): matched by local name.
    private const string EncryptedSecretElement = "encryptedSecret";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Data Protection reads the system clock itself (it takes no TimeProvider): a key's dates must
        // be on that clock, or a test's fake clock would make a key Data Protection never activates.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<string> plaintext = [];
        foreach (XElement element in keyManagement.Value.XmlRepository?.GetAllElements() ?? [])
        {
            if (element.Name == KeyElement && !element.Descendants().Any(child => child.Name.LocalName == EncryptedSecretElement)
                && (DateTimeOffset.TryParse((string?)element.Element("expirationDate"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset expires) ? expires > now : true))
            {
                plaintext.Add((string?)element.Attribute("id") ?? "?");
            }
        }

        if (plaintext.Count > 0)
        {
            // Activation now: the newest activated key is the default (Data Protection's default-key resolution).
            IKey replacement = keys.CreateNewKey(now, now + keyManagement.Value.NewKeyLifetime);
            LogReplaced(logger, plaintext.Count, string.Join(", ", plaintext), replacement.KeyId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "The key ring holds {Count} Data Protection key(s) stored unencrypted ({KeyIds}), written before the key-encryption certificate was configured: key {NewKeyId}, encrypted with the certificate, is now the default. Replace what the old keys protected: `tessera key rotate --lead 0s` for each signing algorithm, then `tessera key retire` the previous keys (docs/server.md, \"Key-encryption key\")")]
    private static partial void LogReplaced(ILogger logger, int count, string keyIds, Guid newKeyId);
}
