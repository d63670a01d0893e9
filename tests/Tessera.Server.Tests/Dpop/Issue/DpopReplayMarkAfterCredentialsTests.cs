using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>
/// A token request refused for its credentials or grant takes no single-use mark (RFC 9449 §11.1):
/// a proof costs its sender nothing, so when marks were taken before the password, client or refresh
/// token was checked, anyone could fill the in-memory DPoP store (1,000,000 marks) and have every
/// DPoP client of the instance refused. Each test sends one proof with bad credentials, then the same
/// proof with good ones: accepted only if the refusal left no mark; and once more: refused (the mark
/// is still taken where the request succeeds).
/// </summary>
public sealed class DpopReplayMarkAfterCredentialsTests : IDisposable
{
    private readonly TestServerFactory _server = new(OAuthClients.Settings());

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AProofSentWithAWrongPasswordIsStillUnusedForTheRightOne()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        string proof = dpop.Proof("POST", "/auth/token");

        await (await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = "not the password" }), proof)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        JsonElement pair = await (await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), proof)).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(pair.Access()));
        await (await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), proof)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task AProofSentWithAnUnknownRefreshTokenIsStillUnusedForARealOne()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        JsonElement pair = await (await dpop.SignInAsync(http, "alice")).AssertOkJsonAsync();
        string proof = dpop.Proof("POST", "/auth/token/refresh");

        HttpResponseMessage refused = await dpop.PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = "not-a-refresh-token-of-this-server" }), proof);
        await AssertRefusedButNotAsAReplayAsync(refused);

        JsonElement refreshed = await (await dpop.PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = pair.Refresh() }), proof)).AssertOkJsonAsync();
        await (await dpop.PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = refreshed.Refresh() }), proof)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task AFloodOfProofsWithBadRefreshTokensAtTheOAuthTokenEndpointTakesNoMark()
    {
        // The public client needs no secret: a client_id and a made-up refresh token is all a flood costs.
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);
        string[] proofs = [.. Enumerable.Range(0, 20).Select(_ => dpop.Proof("POST", "/oauth2/token"))];
        foreach (string proof in proofs)
        {
            HttpResponseMessage refused = await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", "made-up-" + Guid.NewGuid().ToString("N")), new("client_id", OAuthClients.Public)]), proof);
            await refused.AssertOAuthErrorAsync("invalid_grant");
        }

        // Every one of those proofs is still unused: the first real refresh with each would succeed; one is shown.
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        string code = DpopAnswers.Code(await DpopAnswers.AuthorizeAsync(browser, OAuthClients.Public, "alice"));
        JsonElement tokens = await (await dpop.PostAsync(browser, "/oauth2/token", new FormUrlEncodedContent(OAuthClients.PublicRedemption(code)), proofs[^1])).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(tokens.Access()));

        KeyValuePair<string, string>[] refresh = [new("grant_type", "refresh_token"), new("refresh_token", tokens.Refresh()), new("client_id", OAuthClients.Public)];
        JsonElement refreshed = await (await dpop.PostAsync(browser, "/oauth2/token", new FormUrlEncodedContent(refresh), proofs[0])).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
        KeyValuePair<string, string>[] next = [new("grant_type", "refresh_token"), new("refresh_token", refreshed.Refresh()), new("client_id", OAuthClients.Public)];
        await (await dpop.PostAsync(browser, "/oauth2/token", new FormUrlEncodedContent(next), proofs[0])).AssertOAuthErrorAsync("invalid_dpop_proof");
    }

    [Fact]
    public async Task AProofSentWithAWrongClientSecretIsStillUnusedForTheRightOne()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);
        string proof = dpop.Proof("POST", "/oauth2/token");

        HttpResponseMessage refused = await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials("wrong-secret")), proof);
        await refused.AssertOAuthErrorAsync("invalid_client");

        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Secret)), proof)).AssertOkJsonAsync();
        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(ClientCredentials(OAuthClients.Secret)), proof)).AssertOAuthErrorAsync("invalid_dpop_proof");
    }

    private static KeyValuePair<string, string>[] ClientCredentials(string secret) =>
        [new("grant_type", "client_credentials"), new("client_id", OAuthClients.Confidential), new("client_secret", secret), new("scope", "orders")];

    private static async Task AssertRefusedButNotAsAReplayAsync(HttpResponseMessage response)
    {
        Assert.False(response.IsSuccessStatusCode);
        Assert.True((int)response.StatusCode < 500, $"Expected a 4xx, got {(int)response.StatusCode}.");
        Assert.DoesNotContain("invalid_dpop_proof", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
