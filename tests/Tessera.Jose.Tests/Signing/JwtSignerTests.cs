using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Signing;

/// <summary>JWTs written from a descriptor carry exactly the claims described.</summary>
public class JwtSignerTests
{
    private static JsonElement Claims(string token) => JsonDocument.Parse(B64.Decode(token.Split('.')[1])).RootElement;

    [Fact]
    public void DescriptorClaimsAreWrittenAsRegisteredClaims()
    {
        var descriptor = new JwtDescriptor
        {
            Issuer = "https://issuer.example", Subject = "alice", JwtId = "id-1",
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(4_102_444_800), NotBefore = DateTimeOffset.FromUnixTimeSeconds(1_000),
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(999), AdditionalClaims = new JsonObject { ["scope"] = "read", ["n"] = null },
        };
        JsonElement claims = Claims(JwtSigner.Sign(descriptor, TestKeys.Octet));

        Assert.Equal("https://issuer.example", claims.GetProperty("iss").GetString());
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("id-1", claims.GetProperty("jti").GetString());
        Assert.Equal(4_102_444_800, claims.GetProperty("exp").GetInt64());
        Assert.Equal(1_000, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(999, claims.GetProperty("iat").GetInt64());
        Assert.Equal("read", claims.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Null, claims.GetProperty("n").ValueKind);
    }

    [Fact]
    public void OneAudienceIsAStringAndSeveralAreAnArray()
    {
        Assert.Equal(JsonValueKind.String, Claims(JwtSigner.Sign(new JwtDescriptor { Audiences = ["api"] }, TestKeys.Octet)).GetProperty("aud").ValueKind);
        JsonElement many = Claims(JwtSigner.Sign(new JwtDescriptor { Audiences = ["api", "web"] }, TestKeys.Octet)).GetProperty("aud");
        Assert.Equal(["api", "web"], many.EnumerateArray().Select(a => a.GetString()));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iss")]
    [InlineData("aud")]
    public void RegisteredClaimsCannotBeSmuggledThroughAdditionalClaims(string name) =>
        Assert.Throws<InvalidOperationException>(() =>
            JwtSigner.Sign(new JwtDescriptor { AdditionalClaims = new JsonObject { [name] = "x" } }, TestKeys.Octet));

    [Fact]
    public void SignedJwtValidatesAndExposesItsClaims()
    {
        var descriptor = new JwtDescriptor { Subject = "alice", Audiences = ["api", "web"], ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) };
        JwtValidation result = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["web"], AllowedAlgorithms = ["PS256"] }).Validate(JwtSigner.Sign(descriptor, TestKeys.Rsa, "PS256"), TestKeys.RsaPublic);

        Assert.Null(result.Error);
        Assert.Equal(("alice", "PS256", "rsa-test"), (result.Claims!.Subject, result.Claims.Algorithm, result.Claims.KeyId));
        Assert.Equal(["api", "web"], result.Claims.Audiences);
    }
}
