using System.Security.Cryptography;
using Tessera.Keys;

namespace Tessera.Tests.Tokens;

/// <summary>
/// A stand-in for Data Protection: "protects" by tagging the text with this protector's name, and
/// refuses (as Data Protection does, with a <see cref="CryptographicException"/>) what another one tagged.
/// </summary>
internal sealed class PrefixSecretProtector(string name = "test") : ISecretProtector
{
    private string Prefix => $"protected-by:{name}:";

    public string Protect(string plaintext) => Prefix + plaintext;

    public string Unprotect(string protectedValue) =>
        protectedValue.StartsWith(Prefix, StringComparison.Ordinal)
            ? protectedValue[Prefix.Length..]
            : throw new CryptographicException("The value was protected by another key.");
}
