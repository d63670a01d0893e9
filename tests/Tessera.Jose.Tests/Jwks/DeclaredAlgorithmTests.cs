using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>A key's declared <c>alg</c> must be one its type, curve and size can do; it is then the only one it permits.</summary>
public class DeclaredAlgorithmTests
{
    public static TheoryData<string, string> Contradictions => new()
    {
        { "ES256", "ES512" },
        { "ES512", "ES256" },
        { "ES256", "RS256" },
        { "RS256", "ES256" },
        { "RS256", "HS256" },
        { "HS256", "RS256" },
        { "HS256", "EdDSA" },
        { "EdDSA", "ES256" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void KeyDeclaringAnAlgorithmItsMaterialCannotDoIsRefused(string keyFor, string declared)
    {
        string json = TestKeys.PrivateFor(keyFor).ToJson(includePrivate: true).Replace("{", $$"""{"alg":"{{declared}}",""", StringComparison.Ordinal);
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Theory]
    [InlineData("RS256", "PS512")]
    [InlineData("HS256", "HS512")]
    [InlineData("EdDSA", "Ed25519")]
    [InlineData("ES384", "ES384")]
    public void KeyDeclaringAnAlgorithmItCanDoPermitsOnlyThat(string keyFor, string declared)
    {
        string json = TestKeys.PrivateFor(keyFor).ToJson(includePrivate: true).Replace("{", $$"""{"alg":"{{declared}}",""", StringComparison.Ordinal);
        Assert.Equal([declared], Jwk.Parse(json).PermittedAlgorithms.Select(a => a.Name));
    }

    [Theory]
    [InlineData("RSA-OAEP")]
    [InlineData("A256KW")]
    [InlineData("ES521")]
    [InlineData("rs256")]
    public void KeyDeclaringAnAlgorithmTesseraDoesNotKnowIsKeptButPermitsNothing(string declared)
    {
        // Encryption keys share JWK Sets with signing keys; they import, and never sign or verify.
        string json = TestKeys.RsaPublic.ToJson().Replace("{", $$"""{"alg":"{{declared}}",""", StringComparison.Ordinal);
        Assert.Empty(Jwk.Parse(json).PermittedAlgorithms);
    }
}
