using Tessera.Jose;
using Tessera.Jose.Keys;

namespace Tessera.OAuth.Registration;

/// <summary>
/// The JWK Set a <c>private_key_jwt</c> client registers (RFC 7523 §3, OIDC Core §9): public keys
/// only, at least one that can verify a signature. Stored re-serialized in its public form.
/// </summary>
public static class ClientJwksRules
{
    /// <summary>A client's keys fit in far less; a larger set is refused before parsing.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The set in its stored form, or a message saying why it cannot be used.</summary>
    public static (string? Json, string? Problem) Check(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, "private_key_jwt needs the client's public keys as a JWK Set ({\"keys\":[…]})");
        }

        if (json.Length > MaxLength)
        {
            return (null, $"the JWK Set is longer than {MaxLength} characters");
        }

        if (!JwkSet.TryParse(json, out JwkSet? set, out JoseError? error))
        {
            return (null, $"the JWK Set cannot be read: {error!.Message}");
        }

        // A private or secret key here would be a secret stored in clear: the client keeps those.
        if (set!.Keys.FirstOrDefault(k => k.HasPrivateKey || k.KeyType == JwkKeyType.Octet) is { } secret)
        {
            return (null, $"the JWK Set holds private key material ({secret}); register only the public keys");
        }

        if (!set.Keys.Any(k => k.PermittedAlgorithms.Any()))
        {
            return (null, "the JWK Set has no public key that can verify signatures (RSA, EC or OKP, use 'sig')");
        }

        return (set.ToJson(), null);
    }
}
