using Microsoft.AspNetCore.DataProtection;
using Tessera.Keys;

namespace Tessera.AspNetCore.Tokens;

/// <summary>Protects the key ring's private keys with ASP.NET Core Data Protection (its own purpose string).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public const string Purpose = "Tessera.Keys.SigningKeyRing.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
