using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests;

public class SmokeTests
{
    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("PS384")]
    [InlineData("ES256")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    public void SignedTokenValidatesWithItsPublicKey(string alg)
    {
        Jwk key = Jwk.Generate(alg);
        Jwk verifier = key.KeyType == JwkKeyType.Octet ? key : key.ToPublicJwk();
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "alice", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) }, key);
        JwtValidation result = new JwtValidator(new JwtValidationPolicy()).Validate(token, verifier);
        Assert.Null(result.Error);
        Assert.Equal("alice", result.Claims!.Subject);
        Assert.Equal(alg, result.Claims.Algorithm);
    }
}
