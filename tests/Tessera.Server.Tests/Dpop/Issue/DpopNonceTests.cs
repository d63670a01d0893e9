using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>RFC 9449 §8 with <c>Tessera:Dpop:RequireNonce</c>: use_dpop_nonce with a DPoP-Nonce, the retry, a fresh nonce on every answer.</summary>
public sealed class DpopNonceTests : IDisposable
{
    private readonly TestServerFactory _server = new(OAuthClients.Settings(new() { ["Tessera:Dpop:RequireNonce"] = "true" }));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AProofWithoutANonceGetsUseDpopNonceThenTheRetryWithItWorks()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);

        HttpResponseMessage first = await dpop.SignInAsync(http, "alice");
        await first.AssertProblemAsync(HttpStatusCode.BadRequest, "use_dpop_nonce");
        Assert.NotNull(dpop.Nonce);

        HttpResponseMessage retried = await dpop.SignInAsync(http, "alice");
        JsonElement pair = await retried.AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(pair.Access()));
        Assert.True(retried.Headers.Contains("DPoP-Nonce"), "a token response carries the next nonce when nonces are required");

        // The refresh carries the nonce the last answer gave.
        JsonElement refreshed = await (await dpop.RefreshAsync(http, pair.Refresh())).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
    }

    [Fact]
    public async Task TheOAuthTokenEndpointAnswersUseDpopNonceInRfc6749Shape()
    {
        HttpClient http = _server.CreateBareClient();
        var dpop = new DpopClient(_server);
        KeyValuePair<string, string>[] form = [new("grant_type", "client_credentials"), new("client_id", OAuthClients.Confidential), new("client_secret", OAuthClients.Secret)];

        HttpResponseMessage first = await dpop.OAuthTokenAsync(http, form);
        await first.AssertOAuthErrorAsync("use_dpop_nonce");
        Assert.True(first.Headers.Contains("DPoP-Nonce"));

        await (await dpop.OAuthTokenAsync(http, form)).AssertOkJsonAsync();
    }

    [Fact]
    public async Task AStaleOrForeignNonceGetsUseDpopNonce()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        await dpop.SignInAsync(http, "alice");
        string nonce = dpop.Nonce!;

        _server.Time.Advance(TimeSpan.FromMinutes(6));
        HttpResponseMessage stale = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), dpop.Proof("POST", "/auth/token", nonce: nonce));
        await stale.AssertProblemAsync(HttpStatusCode.BadRequest, "use_dpop_nonce");

        HttpResponseMessage foreign = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), dpop.Proof("POST", "/auth/token", nonce: "bm90LW91cnM"));
        await foreign.AssertProblemAsync(HttpStatusCode.BadRequest, "use_dpop_nonce");
    }

    [Fact]
    public async Task WithoutAProofNoNonceIsNeeded()
    {
        // Nonces constrain DPoP proofs; a bearer sign-in is as before.
        JsonElement pair = await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");

        Assert.Equal("Bearer", pair.GetProperty("token_type").GetString());
    }
}
