using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose.Keys;

namespace Tessera.Keys;

/// <summary>Makes new keys of the ring, their private halves protected at rest by the <see cref="ISecretProtector"/>.</summary>
internal sealed class KeyGenerator(ISecretProtector protector)
{
    /// <summary>
    /// A new signing key for <paramref name="algorithm"/>, published from <paramref name="now"/>, signing from
    /// <paramref name="activatesAt"/>. Its public JWK names its <c>kid</c>, <c>alg</c> and <c>use</c>, so a
    /// verifier holding the whole JWKS picks the key a token names and refuses any other algorithm with it.
    /// </summary>
    public SigningKeyRecord SigningKey(string algorithm, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        Jwk generated = Jwk.Generate(algorithm);
        string kid = generated.Thumbprint;
        // Write the thumbprint as the kid (RFC 7638 §1), so tokens and the JWKS name the key the same way.
        JsonObject withKid = JsonNode.Parse(generated.ToJson(includePrivate: true))!.AsObject();
        withKid["kid"] = kid;
        withKid["alg"] = algorithm;
        withKid["use"] = "sig";
        Jwk key = Jwk.Parse(withKid.ToJsonString());
        return new SigningKeyRecord
        {
            KeyId = kid,
            Use = SigningKeyUses.Signing,
            Algorithm = algorithm,
            PublicJwk = key.ToPublicJwk().ToJson(),
            ProtectedPrivate = protector.Protect(key.ToJson(includePrivate: true)),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    /// <summary>A new refresh-derivation secret (256 random bits), never published.</summary>
    public SigningKeyRecord RefreshSecret(DateTimeOffset now)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            return new SigningKeyRecord
            {
                KeyId = RandomIds.New128(),
                Use = SigningKeyUses.RefreshDerivation,
                Algorithm = "HS256",
                ProtectedPrivate = protector.Protect(Convert.ToBase64String(secret)),
                CreatedAt = now,
                ActivatesAt = now,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
