using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>RFC 9449 §5, §5.2, §6.2, §10 on <c>/oauth2/*</c>: the code, refresh and client credentials grants, dpop_jkt, dpop_bound_access_tokens, introspection, metadata.</summary>
public sealed class OAuthDpopTests : IDisposable
{
    private readonly TestServerFactory _server = new(OAuthClients.Settings());

    public void Dispose() => _server.Dispose();

    private async Task<(HttpClient Browser, string Code)> CodeAsync(string clientId, Dictionary<string, string?>? extra = null)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        HttpResponseMessage redirect = await DpopAnswers.AuthorizeAsync(browser, clientId, "alice", extra);
        return (browser, DpopAnswers.Code(redirect));
    }

    [Fact]
    public async Task APublicClientsCodeRedeemedWithAProofGivesBoundTokensAndABoundSession()
    {
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Public);
        var dpop = new DpopClient(_server);

        JsonElement tokens = await (await dpop.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOkJsonAsync();

        Assert.Equal("DPoP", tokens.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));
        Assert.Equal(dpop.Thumbprint, (await _server.StoredSessionAsync(tokens.SessionId())).KeyThumbprint);
    }

    [Fact]
    public async Task APublicClientsBoundRefreshTokenNeedsTheSameKey()
    {
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Public);
        var dpop = new DpopClient(_server);
        JsonElement tokens = await (await dpop.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOkJsonAsync();
        KeyValuePair<string, string>[] refresh = [new("grant_type", "refresh_token"), new("refresh_token", tokens.Refresh()), new("client_id", OAuthClients.Public)];

        await (await new DpopClient(_server).OAuthTokenAsync(browser, refresh)).AssertOAuthErrorAsync("invalid_dpop_proof");
        await (await dpop.OAuthTokenAsync(browser, refresh, withProof: false)).AssertOAuthErrorAsync("invalid_dpop_proof");

        JsonElement refreshed = await (await dpop.OAuthTokenAsync(browser, refresh)).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
        Assert.Equal("DPoP", refreshed.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task ACodeBoundByDpopJktIsRedeemedWithThatKey()
    {
        var dpop = new DpopClient(_server);
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Public, new() { ["dpop_jkt"] = dpop.Thumbprint });

        JsonElement tokens = await (await dpop.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOkJsonAsync();

        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));
    }

    [Fact]
    public async Task ACodeBoundByDpopJktIsRefusedWithAnotherKeyAndIsSpent()
    {
        var dpop = new DpopClient(_server);
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Public, new() { ["dpop_jkt"] = dpop.Thumbprint });

        await (await new DpopClient(_server).OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOAuthErrorAsync("invalid_dpop_proof");

        // A code that failed a check is spent: the right key now gets invalid_grant.
        await (await dpop.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task ACodeBoundByDpopJktIsRefusedWithoutAProof()
    {
        var dpop = new DpopClient(_server);
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Public, new() { ["dpop_jkt"] = dpop.Thumbprint });

        await (await dpop.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code), withProof: false)).AssertOAuthErrorAsync("invalid_dpop_proof");
    }

    [Theory]
    [InlineData("short")]
    [InlineData("not base64url thumbprint with spaces and exactly 43!")]
    public async Task AMalformedDpopJktIsAnAuthorizationError(string jkt)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage answer = await DpopAnswers.AuthorizeAsync(browser, OAuthClients.Public, "alice", new() { ["dpop_jkt"] = jkt });

        string location = answer.Headers.Location?.OriginalString ?? "";
        Assert.StartsWith(OAuthClients.Callback + "?", location, StringComparison.Ordinal);
        Assert.Equal("invalid_request", QueryHelpers.ParseQuery(new Uri(location).Query)["error"].ToString());
    }

    [Fact]
    public async Task AConfidentialClientsAccessTokensAreBoundToTheKeyOfEachRequestAndItsRefreshTokenIsNot()
    {
        (HttpClient browser, string code) = await CodeAsync(OAuthClients.Confidential);
        var dpop = new DpopClient(_server);
        JsonElement tokens = await (await dpop.OAuthTokenAsync(browser, OAuthClients.ConfidentialRedemption(code))).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));
        Assert.Null((await _server.StoredSessionAsync(tokens.SessionId())).KeyThumbprint);

        // RFC 9449 §5: the refresh token is sender-constrained by the client's authentication, not the key.
        var newKey = new DpopClient(_server);
        KeyValuePair<string, string>[] refresh(string token) => [new("grant_type", "refresh_token"), new("refresh_token", token), new("client_id", OAuthClients.Confidential), new("client_secret", OAuthClients.Secret)];
        JsonElement rekeyed = await (await newKey.OAuthTokenAsync(browser, refresh(tokens.Refresh()))).AssertOkJsonAsync();
        Assert.Equal(newKey.Thumbprint, DpopAnswers.Jkt(rekeyed.Access()));
        Assert.Equal("DPoP", rekeyed.GetProperty("token_type").GetString());

        JsonElement bearer = await (await newKey.OAuthTokenAsync(browser, refresh(rekeyed.Refresh()), withProof: false)).AssertOkJsonAsync();
        Assert.Equal("Bearer", bearer.GetProperty("token_type").GetString());
        Assert.Null(DpopAnswers.Jkt(bearer.Access()));
    }

    [Fact]
    public async Task ClientCredentialsWithAProofGiveABoundTokenAndNoSession()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);

        JsonElement tokens = await (await dpop.OAuthTokenAsync(http, ClientCredentials(OAuthClients.Confidential))).AssertOkJsonAsync();

        Assert.Equal("DPoP", tokens.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
        Assert.False(tokens.TryGetProperty("session_id", out _));

        JsonElement bearer = await (await dpop.OAuthTokenAsync(http, ClientCredentials(OAuthClients.Confidential), withProof: false)).AssertOkJsonAsync();
        Assert.Equal("Bearer", bearer.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task AClientRegisteredWithDpopBoundAccessTokensIsRefusedWithoutAProof()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);

        await (await dpop.OAuthTokenAsync(http, ClientCredentials(OAuthClients.Strict), withProof: false)).AssertOAuthErrorAsync("invalid_dpop_proof");

        JsonElement tokens = await (await dpop.OAuthTokenAsync(http, ClientCredentials(OAuthClients.Strict))).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));
    }

    [Fact]
    public async Task ABadProofAtTheOAuthTokenEndpointIsAnRfc6749ErrorNeverA500()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);

        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Confidential)), "e30.e30.e30")).AssertOAuthErrorAsync("invalid_dpop_proof");
        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Confidential)), dpop.Proof("GET", "/oauth2/token"))).AssertOAuthErrorAsync("invalid_dpop_proof");
    }

    [Fact]
    public async Task AReplayedProofIsRefusedAtTheOAuthTokenEndpoint()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);
        string proof = dpop.Proof("POST", "/oauth2/token");

        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Confidential)), proof)).AssertOkJsonAsync();
        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Confidential)), proof)).AssertOAuthErrorAsync("invalid_dpop_proof");
    }

    [Fact]
    public async Task IntrospectionAnswersCnfAndDpopForABoundToken()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        JsonElement bound = await (await dpop.SignInAsync(http, "alice")).AssertOkJsonAsync();
        JsonElement bearer = await http.SignInForTokensAsync("alice");

        JsonElement boundAnswer = await (await IntrospectAsync(bound.Access())).AssertOkJsonAsync();
        Assert.True(boundAnswer.GetProperty("active").GetBoolean());
        Assert.Equal("DPoP", boundAnswer.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, boundAnswer.GetProperty("cnf").GetProperty("jkt").GetString());

        JsonElement bearerAnswer = await (await IntrospectAsync(bearer.Access())).AssertOkJsonAsync();
        Assert.Equal("Bearer", bearerAnswer.GetProperty("token_type").GetString());
        Assert.False(bearerAnswer.TryGetProperty("cnf", out _));
    }

    [Fact]
    public async Task DiscoveryListsTheProofAlgorithms()
    {
        JsonElement metadata = await (await _server.CreateBareClient().GetAsync("/.well-known/openid-configuration")).AssertOkJsonAsync();

        string[] algorithms = [.. metadata.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()!)];
        Assert.Contains("ES256", algorithms);
        Assert.Contains("RS256", algorithms);
        Assert.DoesNotContain("HS256", algorithms);
        Assert.DoesNotContain("none", algorithms);
    }

    [Fact]
    public async Task TheTokenEndpointLetsABrowserClientSendDpopAndReadDpopNonce()
    {
        HttpClient http = _server.CreateBareClient();
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth2/token");
        preflight.Headers.Add("Origin", OAuthClients.AppOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "dpop,content-type");

        HttpResponseMessage answer = await http.SendAsync(preflight);

        Assert.Contains("dpop", string.Join(",", answer.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        var dpop = new DpopClient(_server);
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = new FormUrlEncodedContent(ClientCredentials(OAuthClients.Confidential)) };
        request.Headers.Add("Origin", OAuthClients.AppOrigin);
        request.Headers.TryAddWithoutValidation("DPoP", dpop.Proof("POST", "/oauth2/token"));
        HttpResponseMessage tokens = await http.SendAsync(request);
        Assert.Contains("DPoP-Nonce", string.Join(",", tokens.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/auth/token")]
    [InlineData("/auth/token/refresh")]
    [InlineData("/oauth2/token")]
    public async Task TheOpenApiDocumentDescribesTheDpopHeaderAndTheNonce(string path)
    {
        JsonElement document = await (await _server.CreateBareClient().GetAsync("/openapi/v1.json")).AssertOkJsonAsync();
        JsonElement operation = document.GetProperty("paths").GetProperty(path).GetProperty("post");

        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "DPoP" && p.GetProperty("in").GetString() == "header");
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("DPoP-Nonce", out _));
    }

    private static KeyValuePair<string, string>[] ClientCredentials(string clientId) =>
        [new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", OAuthClients.Secret), new("scope", "orders")];

    private Task<HttpResponseMessage> IntrospectAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = new FormUrlEncodedContent([new("token", token)]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("orders-api:s3cret-for-tests")));
        return _server.CreateBareClient().SendAsync(request);
    }
}
