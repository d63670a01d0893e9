using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// DPoP (RFC 9449) with a stock client: openid-client's own DPoP handle (getDPoPHandle over a key
/// from randomDPoPKeyPair) signs every proof, through sign-in (authorization code + PKCE on
/// Tessera's pages), refresh, userinfo and the shop API. The test checks the binding from outside:
/// cnf.jkt against a thumbprint computed here (RFC 7638), the token refused as Bearer, a refresh
/// with another key refused; and, against a provider that requires nonces, that the library's
/// retry with DPoP-Nonce is what gets it through.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class DpopInteropTests(InteropFixture fixture)
{
    private const string Scope = $"openid profile offline_access {InteropFixture.ApiScope}";

    [Fact]
    public async Task OpenIdClientSignsInRefreshesAndCallsTheApisWithDpopBoundTokens()
    {
        NodeRelyingParty rp = fixture.RelyingParty(fixture.Public);
        Uri cart = new(fixture.Issuer, "/shop/cart");

        // RFC 9449 §5.1: the metadata says which proof algorithms the provider takes.
        JsonObject metadata = (await rp.DiscoverAsync()).Result()["openidConfiguration"]!.AsObject();
        Assert.Contains("ES256", metadata["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));

        JsonObject keyPair = (await rp.DpopKeyPairAsync()).Result();
        JsonObject key = keyPair["privateJwk"]!.AsObject();
        string thumbprint = Thumbprint(keyPair["publicJwk"]!);

        (TestUser user, JsonObject tokens, RpAnswer callback) = await SignInAsync(rp, fixture.Issuer, key);
        string accessToken = (string)tokens["access_token"]!;
        Assert.Equal("dpop", ((string?)tokens["token_type"])?.ToLowerInvariant());
        Assert.Equal(thumbprint, Jkt(accessToken));
        JsonObject tokenRequest = callback.Trace.Single(t => (string?)t["method"] == "POST");
        Assert.Equal((string?)metadata["token_endpoint"], (string?)tokenRequest["proof"]?["htu"]);
        Assert.Null(tokenRequest["proof"]?["ath"]);

        // Userinfo and the shop, each with Authorization: DPoP and a proof carrying ath (§7).
        RpAnswer userInfo = await rp.UserInfoAsync(accessToken, user.Id, key);
        Assert.Equal(user.Username, (string?)userInfo.Result()["preferred_username"]);
        Assert.Equal("DPoP", (string?)userInfo.Trace[^1]["authorization"]);
        Assert.Equal(Ath(accessToken), (string?)userInfo.Trace[^1]["proof"]?["ath"]);
        Assert.Equal(200, (int)(await rp.ResourceAsync(accessToken, cart, dpopKey: key)).Result()["status"]!);

        // The same token as a plain bearer token (RFC 9449 §7.2): refused, with a DPoP challenge.
        JsonObject asBearer = (await rp.ResourceAsync(accessToken, cart)).Result();
        Assert.Equal(401, (int)asBearer["status"]!);
        Assert.Contains(asBearer["challenges"]!.AsArray(), c => (string?)c?["scheme"] == "dpop");

        // Refresh with the same key: a new pair, still bound to it.
        JsonObject refreshed = (await rp.RefreshAsync((string)tokens["refresh_token"]!, dpopKey: key)).Result();
        Assert.Equal("dpop", ((string?)refreshed["token_type"])?.ToLowerInvariant());
        Assert.Equal(thumbprint, Jkt((string)refreshed["access_token"]!));
        string refreshToken = (string)refreshed["refresh_token"]!;
        Assert.Equal(200, (int)(await rp.ResourceAsync((string)refreshed["access_token"]!, cart, dpopKey: key)).Result()["status"]!);

        // A public client's refresh token is bound to its key too (§5): another key, or none, gets nothing.
        JsonObject otherKey = (await rp.DpopKeyPairAsync()).Result()["privateJwk"]!.AsObject();
        JsonObject withOtherKey = (await rp.RefreshAsync(refreshToken, dpopKey: otherKey)).Error();
        Assert.Contains((string?)withOtherKey["error"], new[] { "invalid_grant", "invalid_dpop_proof" });
        JsonObject withoutKey = (await rp.RefreshAsync(refreshToken)).Error();
        Assert.Contains((string?)withoutKey["error"], new[] { "invalid_grant", "invalid_dpop_proof" });

        // The holder of the key still refreshes with it.
        JsonObject again = (await rp.RefreshAsync(refreshToken, dpopKey: key)).Result();
        Assert.Equal(thumbprint, Jkt((string)again["access_token"]!));
    }

    [Fact]
    public async Task AnAuthorizationCodeBoundWithDpopJktIsRedeemedOnlyWithThatKey()
    {
        NodeRelyingParty rp = fixture.RelyingParty(fixture.Public);
        JsonObject keyPair = (await rp.DpopKeyPairAsync()).Result();
        JsonObject key = keyPair["privateJwk"]!.AsObject();
        JsonObject otherKey = (await rp.DpopKeyPairAsync()).Result()["privateJwk"]!.AsObject();
        var jkt = new JsonObject { ["dpop_jkt"] = Thumbprint(keyPair["publicJwk"]!) };

        // RFC 9449 §10: the code is bound at the authorization request; redeeming it with another key fails.
        TestUser user = await fixture.NewUserAsync();
        AuthorizationRequest request = await rp.AuthorizationUrlAsync(Scope, extraParameters: jkt);
        Uri callback = await AuthorizeInBrowserAsync(request, rp, user);
        // §10 says only "reject"; Tessera answers invalid_dpop_proof (the proof's key is the wrong one), invalid_grant would do too.
        Assert.Contains((string?)(await rp.CallbackAsync(request, callback, otherKey)).Error()["error"], new[] { "invalid_dpop_proof", "invalid_grant" });

        // A new code, redeemed with the key it was bound to.
        request = await rp.AuthorizationUrlAsync(Scope, extraParameters: jkt);
        callback = await AuthorizeInBrowserAsync(request, rp, user);
        JsonObject tokens = (await rp.CallbackAsync(request, callback, key)).Result();
        Assert.Equal((string)jkt["dpop_jkt"]!, Jkt((string)tokens["access_token"]!));
    }

    [Fact]
    public async Task WithServerNoncesOpenIdClientRetriesWithTheNonceAndGetsThrough()
    {
        Uri issuer = await fixture.NonceIssuerAsync();
        var rp = new NodeRelyingParty(issuer, fixture.Public);
        Uri cart = new(issuer, "/shop/cart");
        JsonObject key = (await rp.DpopKeyPairAsync()).Result()["privateJwk"]!.AsObject();

        // Each command is a fresh process, so the library starts without a nonce every time: the
        // first proof is refused with use_dpop_nonce and a DPoP-Nonce, the retry carries it (§8).
        (_, JsonObject tokens, RpAnswer callback) = await SignInAsync(rp, issuer, key);
        ExpectNonceRetry(callback, "POST", 400);
        string accessToken = (string)tokens["access_token"]!;

        RpAnswer resource = await rp.ResourceAsync(accessToken, cart, dpopKey: key);
        Assert.Equal(200, (int)resource.Result()["status"]!);
        ExpectNonceRetry(resource, "GET", 401);
        Assert.Contains("use_dpop_nonce", (string?)resource.Trace[0]["wwwAuthenticate"] ?? "", StringComparison.Ordinal);

        RpAnswer refreshed = await rp.RefreshAsync((string)tokens["refresh_token"]!, dpopKey: key);
        Assert.Equal("dpop", ((string?)refreshed.Result()["token_type"])?.ToLowerInvariant());
        ExpectNonceRetry(refreshed, "POST", 400);
    }

    /// <summary>The command's requests to one endpoint: refused once for want of a nonce, then accepted with the nonce the server sent.</summary>
    private static void ExpectNonceRetry(RpAnswer answer, string method, int refusal)
    {
        JsonObject[] requests = [.. answer.Trace.Where(t => (string?)t["method"] == method)];
        Assert.True(requests.Length == 2, $"Expected a refusal and a retry: {answer}");
        Assert.Equal(refusal, (int)requests[0]["status"]!);
        Assert.True((bool)requests[0]["dpopNonce"]!, "The refusal carries DPoP-Nonce.");
        Assert.Null(requests[0]["proof"]!["nonce"]);
        Assert.Equal(200, (int)requests[1]["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)requests[1]["proof"]!["nonce"]));
    }

    private async Task<(TestUser User, JsonObject Tokens, RpAnswer Callback)> SignInAsync(NodeRelyingParty rp, Uri issuer, JsonObject dpopKey)
    {
        TestUser user = await fixture.NewUserAsync(issuer);
        AuthorizationRequest request = await rp.AuthorizationUrlAsync(Scope);
        Uri callback = await AuthorizeInBrowserAsync(request, rp, user);
        RpAnswer answer = await rp.CallbackAsync(request, callback, dpopKey);
        return (user, answer.Result(), answer);
    }

    private async Task<Uri> AuthorizeInBrowserAsync(AuthorizationRequest request, NodeRelyingParty rp, TestUser user)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        IPage page = await context.NewPageAsync();
        return await ProviderPages.AuthorizeAsync(page, request.Url, rp.Client.RedirectUri!, user);
    }

    /// <summary>RFC 7638 §3.2, computed here rather than by the library or Tessera: SHA-256 of the required members in order.</summary>
    private static string Thumbprint(JsonNode jwk)
    {
        string canonical = (string?)jwk["kty"] switch
        {
            "EC" => $"{{\"crv\":\"{(string?)jwk["crv"]}\",\"kty\":\"EC\",\"x\":\"{(string?)jwk["x"]}\",\"y\":\"{(string?)jwk["y"]}\"}}",
            "OKP" => $"{{\"crv\":\"{(string?)jwk["crv"]}\",\"kty\":\"OKP\",\"x\":\"{(string?)jwk["x"]}\"}}",
            string other => throw new NotSupportedException(other),
            null => throw new ArgumentException("no kty", nameof(jwk)),
        };
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Ath(string accessToken) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    private static string? Jkt(string jwt)
    {
        string part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return (string?)JsonNode.Parse(Convert.FromBase64String(part))?["cnf"]?["jkt"];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
