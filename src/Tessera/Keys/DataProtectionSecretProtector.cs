using Microsoft.AspNetCore.DataProtection;

namespace Tessera.Keys;

/// <summary>Protects the key ring's private keys with ASP.NET Core Data Protection (its own purpose string).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public const string Purpose = "Tessera.Keys.SigningKeyRing.v1";

    /// <summary>The Data Protection application name of the server (and of the CLI reading its key ring): keys are isolated per name.</summary>
    public const string ApplicationName = "Tessera";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
