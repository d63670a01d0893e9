using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.OAuth.IdTokens;
using Tessera.Tokens;

namespace Tessera.Tests.OAuth;

public class IdTokenIssuerTests
{
    private const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.an-access-token.signature";

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("PS384")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    public async Task TheIdTokenCarriesTheHeaderAndClaimsOfOidcCoreSection2(string alg)
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = [alg] });
        string token = await harness.IssueAsync(harness.Request(alg, accessToken: AccessToken));
        KeyRingSnapshot keys = await harness.Keys.GetAsync(CancellationToken.None);

        JsonElement header = Part(token, 0);
        JsonElement claims = Part(token, 1);
        long now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(("JWT", alg, keys.SigningKeyFor(alg).KeyId), (header.GetProperty("typ").GetString(), header.GetProperty("alg").GetString(), header.GetProperty("kid").GetString()));
        Assert.Equal(IdTokenHarness.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("user-7", claims.GetProperty("sub").GetString());
        Assert.Equal("shop-app", claims.GetProperty("aud").GetString());
        Assert.Equal("shop-app", claims.GetProperty("azp").GetString());
        Assert.Equal(now, claims.GetProperty("iat").GetInt64());
        Assert.Equal(now + 300, claims.GetProperty("exp").GetInt64());
        Assert.Equal(now - 180, claims.GetProperty("auth_time").GetInt64());
        Assert.Equal("n-0S6_WzA2Mj", claims.GetProperty("nonce").GetString());
        Assert.Equal("session-handle-1", claims.GetProperty("sid").GetString());
        Assert.Equal(["pwd"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(IndependentAtHash(AccessToken, alg), claims.GetProperty("at_hash").GetString());
        Assert.False(claims.TryGetProperty("preferred_username", out _)); // no profile scope
        // And it verifies against the published JWKS, as a client would check it.
        var validator = new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = [alg],
            ValidIssuers = [IdTokenHarness.Issuer],
            ValidAudiences = ["shop-app"],
            RequiredType = "JWT",
            TimeProvider = harness.Time,
        });
        Assert.Null(validator.Validate(token, keys.Published).Error);
    }

    [Fact]
    public async Task WithoutANonceOrAnAccessTokenTheirClaimsAreLeftOut()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"] });

        JsonElement withoutNonce = Part(await harness.IssueAsync(harness.Request("ES256", nonce: null)), 1);
        JsonElement emptyNonce = Part(await harness.IssueAsync(harness.Request("ES256", nonce: "")), 1);

        Assert.False(withoutNonce.TryGetProperty("nonce", out _));
        Assert.False(emptyNonce.TryGetProperty("nonce", out _));
        Assert.False(withoutNonce.TryGetProperty("at_hash", out _));
    }

    [Fact]
    public async Task TheProfileScopeAddsTheUsername()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"] });

        JsonElement claims = Part(await harness.IssueAsync(harness.Request("ES256", scopes: ["openid", "profile"])), 1);

        Assert.Equal("Alice", claims.GetProperty("preferred_username").GetString());
        Assert.Equal("Alice", claims.GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheLifetimeIsConfigurable()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"], IdTokenLifetime = TimeSpan.FromMinutes(20) });

        JsonElement claims = Part(await harness.IssueAsync(harness.Request("ES256")), 1);

        Assert.Equal(claims.GetProperty("iat").GetInt64() + 1200, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task AClientAskingForAnAlgorithmThatIsNotConfiguredGetsAClearError()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"] });
        KeyRingSnapshot keys = await harness.Keys.GetAsync(CancellationToken.None);

        Outcome<string> rs256 = harness.IdTokens.Issue(harness.Request("RS256"), keys);
        Outcome<string> hs256 = harness.IdTokens.Issue(harness.Request("HS256"), keys);

        Assert.Equal(TesseraErrorCodes.IdTokenAlgorithmUnavailable, rs256.Error?.Code);
        Assert.Contains("ES256", rs256.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(TesseraErrorCodes.IdTokenAlgorithmUnavailable, hs256.Error?.Code);
    }

    [Fact]
    public async Task ASessionOfAnotherUserOrClientIsAMistakeOfTheCaller()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"] });
        KeyRingSnapshot keys = await harness.Keys.GetAsync(CancellationToken.None);
        IdTokenRequest request = harness.Request("ES256");

        Assert.Throws<ArgumentException>(() => harness.IdTokens.Issue(request with { Session = request.Session with { UserId = "someone-else" } }, keys));
        Assert.Throws<ArgumentException>(() => harness.IdTokens.Issue(request with { Session = request.Session with { ClientId = "other-app" } }, keys));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("PS256")]
    [InlineData("ES384")]
    public async Task MicrosoftIdentityModelAcceptsTheIdTokenWithTheJwks(string alg)
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = [alg] });
        string token = await harness.IssueAsync(harness.Request(alg, accessToken: AccessToken));
        string jwks = (await harness.Keys.GetAsync(CancellationToken.None)).Published.ToJson();

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidAlgorithms = [alg],
            ValidIssuer = IdTokenHarness.Issuer,
            ValidAudience = "shop-app",
            ValidTypes = ["JWT"],
            ValidateLifetime = true,
            RequireSignedTokens = true,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("user-7", result.Claims["sub"]);
        Assert.Equal("n-0S6_WzA2Mj", result.Claims["nonce"]);
        Assert.Equal(IndependentAtHash(AccessToken, alg), result.Claims["at_hash"]);
    }

    [Fact]
    public async Task MicrosoftIdentityModelRefusesTheIdTokenForAnotherAudience()
    {
        // Control for the test above: the incumbent does check what it is given.
        using var harness = new IdTokenHarness(new TesseraTokenOptions { IdTokenAlgorithms = ["RS256"] });
        string token = await harness.IssueAsync(harness.Request("RS256"));
        string jwks = (await harness.Keys.GetAsync(CancellationToken.None)).Published.ToJson();

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidIssuer = IdTokenHarness.Issuer,
            ValidAudience = "another-app",
        });

        Assert.False(result.IsValid);
    }

    /// <summary>OIDC Core §3.1.3.6, computed here with System.Security.Cryptography rather than Tessera's code.</summary>
    private static string IndependentAtHash(string accessToken, string alg)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(accessToken);
        byte[] hash = alg[^3..] switch
        {
            "256" => SHA256.HashData(ascii),
            "384" => SHA384.HashData(ascii),
            "512" => SHA512.HashData(ascii),
            _ when alg == "EdDSA" => SHA512.HashData(ascii), // Ed25519's own hash (OIDC Core errata set 2)
            _ => throw new ArgumentOutOfRangeException(nameof(alg)),
        };
        return Convert.ToBase64String(hash, 0, hash.Length / 2).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static JsonElement Part(string token, int index)
    {
        string part = token.Split('.')[index];
        string padded = part.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (part.Length % 4)) % 4);
        return JsonDocument.Parse(Convert.FromBase64String(padded)).RootElement.Clone();
    }
}
