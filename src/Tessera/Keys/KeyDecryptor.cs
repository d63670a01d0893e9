using System.Security.Cryptography;
using Tessera.Jose.Keys;

namespace Tessera.Keys;

/// <summary>
/// Opens the protected private halves of the ring's keys with the <see cref="ISecretProtector"/>,
/// keeping each signing key once it is open. A key that cannot be opened (lost or unshared Data
/// Protection keys) raises <see cref="KeyRingUnavailableException"/> naming it.
/// </summary>
internal sealed class KeyDecryptor(ISecretProtector protector)
{
    private readonly Dictionary<string, Jwk> _signingKeys = new(StringComparer.Ordinal);

    /// <summary>The private JWK of a signing key.</summary>
    public Jwk SigningKey(SigningKeyRecord key)
    {
        lock (_signingKeys)
        {
            if (!_signingKeys.TryGetValue(key.KeyId, out Jwk? jwk))
            {
                jwk = Jwk.Parse(Unprotect(key));
                _signingKeys[key.KeyId] = jwk;
            }

            return jwk;
        }
    }

    /// <summary>The bytes of a refresh secret.</summary>
    public byte[] Secret(SigningKeyRecord key) => Convert.FromBase64String(Unprotect(key));

    /// <summary>
    /// The secret before the newest still answers the grace window of a rotation it derived (possibly
    /// on another instance that had not read the newer one yet); unreadable, it is skipped.
    /// </summary>
    public byte[]? TrySecret(SigningKeyRecord key)
    {
        try
        {
            return Secret(key);
        }
        catch (KeyRingUnavailableException)
        {
            return null;
        }
    }

    private string Unprotect(SigningKeyRecord key)
    {
        try
        {
            return protector.Unprotect(key.ProtectedPrivate);
        }
        catch (CryptographicException ex)
        {
            throw KeyRingUnavailableException.For(key, ex);
        }
    }
}
