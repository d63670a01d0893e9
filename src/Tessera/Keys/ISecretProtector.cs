namespace Tessera.Keys;

/// <summary>
/// Protects private keys at rest. The ASP.NET Core integration implements it with Data Protection;
/// the domain knows only this interface.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> (a private JWK) for storage.</summary>
    string Protect(string plaintext);

    /// <summary>The plaintext; throws when the value was not protected by this protector's keys.</summary>
    string Unprotect(string protectedValue);
}
