using System.Net;
using System.Text.Json;
using Tessera.Jose.Keys;

namespace Tessera.Server.Tests.Tokens;

public sealed class TokenSignInTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TokenSignInReturnsABearerPairForANewSession()
    {
        HttpClient client = _server.CreateBareClient();

        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        Assert.Equal("Bearer", pair.GetProperty("token_type").GetString());
        Assert.Equal(900, pair.GetProperty("expires_in").GetInt64());
        Assert.Equal(107, pair.Refresh().Length); // base64url of version, generation, session handle, 256 secret bits, 128-bit tag
        JsonElement sessions = await (await client.GetWithBearerAsync("/auth/sessions", pair.Access())).AssertOkJsonAsync();
        JsonElement only = Assert.Single(sessions.GetProperty("sessions").EnumerateArray());
        Assert.Equal(pair.SessionId(), only.GetProperty("id").GetString());
        Assert.Equal("token", only.GetProperty("kind").GetString());
        Assert.True(only.GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task TheStoreKeepsOnlyAHashOfTheRefreshToken()
    {
        JsonElement pair = await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");

        Tessera.Sessions.SessionRecord stored = await _server.StoredSessionAsync(pair.SessionId());

        Assert.Equal(TokenHttp.HashOf(pair.Refresh()), stored.SecretHash.ToArray());
        Assert.Equal("token", stored.Kind);
        Assert.Equal(_server.Time.GetUtcNow() + TimeSpan.FromDays(14), stored.IdleExpiresAt);
        Assert.Equal(_server.Time.GetUtcNow() + TimeSpan.FromDays(30), stored.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task AccessTokenIsAnRfc9068JwtNamedByTheThumbprintOfAPublishedKey()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement user = await client.RegisterAsync("alice");
        JsonElement pair = await client.SignInForTokensAsync("alice");

        JsonElement header = TokenHttp.Part(pair.Access(), 0);
        JsonElement claims = TokenHttp.Part(pair.Access(), 1);
        JwkSet published = JwkSet.Parse(await client.GetStringAsync("/.well-known/jwks.json"));

        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Jwk key = Assert.Single(published.Keys, k => k.Algorithm == "ES256"); // the other key, RS256, signs ID tokens
        Assert.Equal(key.Thumbprint, header.GetProperty("kid").GetString());
        Assert.Equal("https://localhost", claims.GetProperty("iss").GetString());
        Assert.Equal(user.GetProperty("id").GetString(), claims.GetProperty("sub").GetString());
        Assert.Equal("tessera", claims.GetProperty("aud").GetString());
        long now = _server.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(now, claims.GetProperty("iat").GetInt64());
        Assert.Equal(now + 900, claims.GetProperty("exp").GetInt64());
        Assert.Equal(22, claims.GetProperty("jti").GetString()!.Length);
        Assert.Equal(pair.SessionId(), claims.GetProperty("sid").GetString());
        Assert.Equal("tessera", claims.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Array, claims.GetProperty("roles").ValueKind);
    }

    [Fact]
    public async Task WrongPasswordGetsNoTokens()
    {
        HttpClient client = _server.CreateBareClient();
        await client.RegisterAsync("alice");

        HttpResponseMessage response = await client.PostJsonAsync("/auth/token", new { username = "alice", password = "not the password" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task MeAnswersToTheBearerToken()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        JsonElement me = await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();

        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(pair.SessionId(), me.GetProperty("session").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AccessTokenStopsWorkingAfterFifteenMinutes()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");
        _server.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();

        _server.Time.Advance(TimeSpan.FromSeconds(1));

        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("invalid_token");
    }

    [Fact]
    public async Task TamperedAccessTokenIsRefused()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        await (await client.GetWithBearerAsync("/auth/me", TokenHttp.Tampered(pair.Access()))).AssertBearerRefusedAsync("invalid_token");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task GarbageBearerTokenIsRefusedWithTheBearerChallenge(string token)
    {
        await (await _server.CreateBareClient().GetWithBearerAsync("/auth/me", token)).AssertBearerRefusedAsync("invalid_token");
    }

    [Fact]
    public async Task RefreshTokenIsNotASessionCookie()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage response = await client.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", pair.Refresh()));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task SessionCookieIsNotARefreshToken()
    {
        HttpClient browser = _server.CreateBareClient();
        await browser.RegisterAsync("alice");
        HttpResponseMessage signedIn = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(signedIn.SetCookie()!);

        await (await browser.RefreshAsync(cookie)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_grant");
    }

    [Fact]
    public async Task ShopWorksWithABearerToken()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        await (await client.SendWithBearerAsync(HttpMethod.Post, "/shop/cart/items", pair.Access(), new { productId = "tessera-bronze", quantity = 2 })).AssertOkJsonAsync();
        JsonElement order = await (await client.SendWithBearerAsync(HttpMethod.Post, "/shop/orders", pair.Access())).AssertOkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(900, order.GetProperty("totalCents").GetInt64());
        JsonElement orders = await (await client.GetWithBearerAsync("/shop/orders", pair.Access())).AssertOkJsonAsync();
        Assert.Equal(1, orders.GetProperty("orders").GetArrayLength());
    }
}
