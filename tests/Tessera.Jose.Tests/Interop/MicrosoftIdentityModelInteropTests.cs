using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Interop;

/// <summary>Tokens cross both ways between Tessera and Microsoft.IdentityModel.JsonWebTokens 8.x.</summary>
public class MicrosoftIdentityModelInteropTests
{
    public static TheoryData<string> Algorithms => InteropKeys.SharedAlgorithms;

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task TokensTesseraSignsValidateInMicrosoftIdentityModel(string alg)
    {
        string token = JwtSigner.Sign(Descriptor(), TestKeys.PrivateFor(alg), alg);

        // With a key built from platform objects, and with a JsonWebKey read from Tessera's JWK.
        Assert.True((await Validate(token, alg, InteropKeys.Microsoft(alg, includePrivate: false))).IsValid);
        Assert.True((await Validate(token, alg, new JsonWebKey(PublicJwk(alg).ToJson(includePrivate: alg.StartsWith("HS", StringComparison.Ordinal))))).IsValid);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void TokensMicrosoftIdentityModelSignsValidateInTessera(string alg)
    {
        string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "alice")]),
            Issuer = "https://issuer.example",
            Audience = "api",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(InteropKeys.Microsoft(alg, includePrivate: true), alg),
        });

        var policy = new JwtValidationPolicy { AllowedAlgorithms = [alg], ValidIssuers = ["https://issuer.example"], ValidAudiences = ["api"], RequiredType = "JWT" };
        JwtValidation result = new JwtValidator(policy).Validate(token, JwkSet.Of(PublicJwk(alg)));
        Assert.Null(result.Error);
        Assert.Equal("alice", result.Claims!.Subject);
        Assert.Equal(alg, result.Claims.Algorithm);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task MicrosoftIdentityModelRefusesATesseraTokenWithAFlippedSignatureByte(string alg)
    {
        // Control for the test above: the incumbent does check what it is given.
        string token = JwtSigner.Sign(Descriptor(), TestKeys.PrivateFor(alg), alg);
        string[] parts = token.Split('.');
        byte[] signature = B64.Decode(parts[2]);
        signature[signature.Length / 2] ^= 0x01;
        Assert.False((await Validate(parts[0] + "." + parts[1] + "." + B64.Url(signature), alg, InteropKeys.Microsoft(alg, includePrivate: false))).IsValid);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void Rfc7638ThumbprintAgreesWithMicrosoftIdentityModel(string alg)
    {
        Jwk key = PublicJwk(alg);
        var microsoft = new JsonWebKey(key.ToJson(includePrivate: key.KeyType == JwkKeyType.Octet));
        Assert.True(microsoft.CanComputeJwkThumbprint());
        Assert.Equal(Base64UrlEncoder.Encode(microsoft.ComputeJwkThumbprint()), key.Thumbprint);
    }

    [Fact]
    public void Rfc7638ThumbprintOfThePublishedRsaKeyAgreesWithMicrosoftIdentityModel()
    {
        System.Text.Json.JsonElement vector = Vectors.JoseVectors.ById("thumbprints", "rfc7638-3.1");
        var microsoft = new JsonWebKey(vector.GetProperty("jwk").GetRawText());
        Assert.Equal(Base64UrlEncoder.Encode(microsoft.ComputeJwkThumbprint()), Jwk.Parse(vector.GetProperty("jwk").GetRawText()).Thumbprint);
    }

    [Fact]
    public void MicrosoftIdentityModelDoesNotImplementEdDsa()
    {
        // If a later version adds EdDSA, this fails: add it to the shared algorithms above.
        var okp = new JsonWebKey(TestKeys.Ed25519Public.ToJson());
        Assert.False(CryptoProviderFactory.Default.IsSupportedAlgorithm("EdDSA", okp));
    }

    private static JwtDescriptor Descriptor() => new()
    {
        Issuer = "https://issuer.example",
        Subject = "alice",
        Audiences = ["api"],
        ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
        IssuedAt = DateTimeOffset.UtcNow,
    };

    private static Jwk PublicJwk(string alg) => TestKeys.PublicFor(alg);

    private static Task<TokenValidationResult> Validate(string token, string alg, SecurityKey key) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [alg],
            ValidIssuer = "https://issuer.example",
            ValidAudience = "api",
            ValidateLifetime = true,
        });
}
