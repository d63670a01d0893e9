using Microsoft.AspNetCore.DataProtection;

namespace Tessera.Keys;

/// <summary>Protects the key ring's private keys with ASP.NET Core Data Protection (its own purpose string).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    /// <summary>The Data Protection purpose string: keys protected under it cannot be unprotected under any other purpose. Changing it makes every stored signing key unreadable.</summary>
    public const string Purpose = "Tessera.Keys.SigningKeyRing.v1";

    /// <summary>The Data Protection application name of the server (and of the CLI reading its key ring): keys are isolated per name.</summary>
    public const string ApplicationName = "Tessera";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    /// <inheritdoc />
    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <inheritdoc />
    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
