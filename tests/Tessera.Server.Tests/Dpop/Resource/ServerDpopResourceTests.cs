using System.Net;
using System.Text.Json;
using Tessera.Dpop;
using Tessera.Jose.Keys;

namespace Tessera.Server.Tests.Dpop.Resource;

/// <summary>
/// The server's own APIs (<c>/auth/me</c>, the shop, <c>/oauth2/userinfo</c>) with DPoP-bound access
/// tokens (RFC 9449 §7): accepted under <c>Authorization: DPoP</c> with a proof by the bound key,
/// refused as bearer tokens (§7.2), and every bad proof a 401 with a <c>DPoP</c> challenge.
/// </summary>
public sealed class ServerDpopResourceTests : IDisposable
{
    private const string Algs = "algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"";

    private readonly TestServerFactory _server;
    private readonly ServerDpop _dpop;

    public ServerDpopResourceTests()
    {
        _server = new TestServerFactory();
        _dpop = new ServerDpop(_server);
    }

    public void Dispose() => _server.Dispose();

    private static string DpopChallenge(HttpResponseMessage response) => response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString();

    /// <summary>401 invalid_token (the problem's <c>reason</c> naming the DPoP cause) with the error on the <c>DPoP</c> challenge.</summary>
    private static async Task AssertDpopRefusedAsync(HttpResponseMessage response, string challengeError, string reason)
    {
        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.StartsWith($"DPoP realm=\"Tessera\", error=\"{challengeError}\"", DpopChallenge(response), StringComparison.Ordinal);
        Assert.EndsWith(Algs, DpopChallenge(response), StringComparison.Ordinal);
        Assert.Equal("Bearer realm=\"Tessera\"", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString());
    }

    [Fact]
    public async Task MeAnswersABoundTokenWithAProofByItsKey()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");

        HttpResponseMessage response = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", token)));

        JsonElement me = await response.AssertOkJsonAsync();
        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
    }

    [Fact]
    public async Task MeRefusesABoundTokenSentAsABearerToken()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");

        HttpResponseMessage response = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", token, _dpop.Proof("GET", "/auth/me", token)));

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal("dpop_binding", problem.GetProperty("reason").GetString());
        Assert.StartsWith("Bearer realm=\"Tessera\", error=\"invalid_token\", error_description=\"dpop_binding: The access token is DPoP-bound", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString(), StringComparison.Ordinal);
        Assert.Equal("DPoP realm=\"Tessera\", " + Algs, DpopChallenge(response));
    }

    [Fact]
    public async Task MeRefusesABoundTokenInTheAccessTokenCookie()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");

        HttpResponseMessage response = await client.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", token, "__Host-tessera-at"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("dpop_binding", (await response.JsonAsync()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task MeRefusesAnUnboundTokenUnderTheDpopScheme()
    {
        HttpClient client = _server.CreateBareClient();
        string token = (await Tokens.TokenHttp.RegisterAndSignInForTokensAsync(client, "alice")).GetProperty("access_token").GetString()!;

        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", token))), "invalid_token", "dpop_binding");
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", token))).AssertOkJsonAsync();
    }

    [Fact]
    public async Task MeRefusesTheDpopSchemeWithoutAProofWithTwoProofsOrWithAReplayedOne()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");
        string proof = _dpop.Proof("GET", "/auth/me", token);

        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token)), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, proof, _dpop.Proof("GET", "/auth/me", token))), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, proof))).AssertOkJsonAsync();
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, proof)), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task MeRefusesAProofByAnotherKeyForAnotherUriOrWithoutAth()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");

        HttpResponseMessage thief = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", token, key: Jwk.Generate("ES256"))));
        await AssertDpopRefusedAsync(thief, "invalid_token", "dpop_binding");
        Assert.Contains("Invalid DPoP key binding", DpopChallenge(thief), StringComparison.Ordinal);
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/sessions", token))), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("POST", "/auth/me", token))), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", accessToken: null))), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task ACachedBoundTokenStillNeedsAFreshProof()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");
        // Two accepted requests: the verified-token cache stores a token on its second valid request.
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", token)))).AssertOkJsonAsync();
        string proof = _dpop.Proof("GET", "/auth/me", token);
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, proof))).AssertOkJsonAsync();

        // The token's signature check is now answered by the verified-token cache; the proof is not.
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, proof)), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token)), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", token))).StatusCode);
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, _dpop.Proof("GET", "/auth/me", token)))).AssertOkJsonAsync();
    }

    [Fact]
    public async Task TheShopTakesADpopBoundTokenAndRefusesItsReplay()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice");
        string proof = _dpop.Proof("POST", "/shop/cart/items", token);

        HttpRequestMessage Add(string scheme, params string[] proofs)
        {
            HttpRequestMessage request = ServerDpop.Request(HttpMethod.Post, "/shop/cart/items", scheme, token, proofs);
            request.Content = System.Net.Http.Json.JsonContent.Create(new { productId = "tessera-bronze", quantity = 1 });
            return request;
        }

        JsonElement cart = await (await client.SendAsync(Add("DPoP", proof))).AssertOkJsonAsync();
        Assert.Equal(450, cart.GetProperty("totalCents").GetInt64());
        await AssertDpopRefusedAsync(await client.SendAsync(Add("DPoP", proof)), DpopErrorCodes.InvalidProof, DpopErrorCodes.InvalidProof);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Add("Bearer"))).StatusCode);
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/shop/cart", "DPoP", token, _dpop.Proof("GET", "/shop/cart", token)))).AssertOkJsonAsync();
    }

    [Fact]
    public async Task UserInfoAnswersADpopBoundTokenAndRefusesItAsABearerToken()
    {
        HttpClient client = _server.CreateBareClient();
        string token = await _dpop.BoundTokenAsync(client, "alice", scope: "openid profile");

        JsonElement claims = await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/oauth2/userinfo", "DPoP", token, _dpop.Proof("GET", "/oauth2/userinfo", token)))).AssertOkJsonAsync();
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());

        HttpResponseMessage bearer = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/oauth2/userinfo", "Bearer", token));
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal("invalid_token", (await bearer.JsonAsync()).GetProperty("error").GetString());
        Assert.StartsWith("Bearer realm=\"Tessera\", error=\"invalid_token\"", bearer.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString(), StringComparison.Ordinal);

        HttpResponseMessage noProof = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/oauth2/userinfo", "DPoP", token));
        Assert.Equal(HttpStatusCode.Unauthorized, noProof.StatusCode);
        Assert.Equal(DpopErrorCodes.InvalidProof, (await noProof.JsonAsync()).GetProperty("error").GetString());
        Assert.StartsWith("DPoP realm=\"Tessera\", error=\"invalid_dpop_proof\"", DpopChallenge(noProof), StringComparison.Ordinal);

        HttpResponseMessage none = await client.GetAsync("/oauth2/userinfo");
        Assert.Equal(["Bearer realm=\"Tessera\"", "DPoP realm=\"Tessera\", " + Algs], none.Headers.WwwAuthenticate.Select(h => h.ToString()));
    }
}

/// <summary>The server configured to require DPoP nonces (<c>Tessera:Dpop:RequireNonce</c>, RFC 9449 §9) on its APIs too.</summary>
public sealed class ServerDpopNonceTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Dpop:RequireNonce"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AProofWithoutTheServersNonceIsAnsweredWithUseDpopNonceAndANonceThatThenWorks()
    {
        var dpop = new ServerDpop(_server);
        HttpClient client = _server.CreateBareClient();
        string token = await dpop.BoundTokenAsync(client, "alice");

        HttpResponseMessage first = await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, dpop.Proof("GET", "/auth/me", token)));

        JsonElement problem = await first.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(DpopErrorCodes.UseNonce, problem.GetProperty("reason").GetString());
        Assert.StartsWith("DPoP realm=\"Tessera\", error=\"use_dpop_nonce\"", first.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString(), StringComparison.Ordinal);
        string nonce = first.Headers.GetValues(DpopTokenTypes.NonceHeader).Single();
        await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, dpop.Proof("GET", "/auth/me", token, nonce)))).AssertOkJsonAsync();
    }
}
