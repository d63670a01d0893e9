using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>RFC 9449 §5 on Tessera's own token endpoints: <c>/auth/token</c> binds, <c>/auth/token/refresh</c> needs the same key.</summary>
public sealed class FirstPartyDpopTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<(HttpClient Http, DpopClient Dpop, JsonElement Pair)> SignedInBoundAsync(string username = "alice")
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync(username);
        var dpop = new DpopClient(_server);
        JsonElement pair = await (await dpop.SignInAsync(http, username)).AssertOkJsonAsync();
        return (http, dpop, pair);
    }

    [Fact]
    public async Task ASignInWithAProofGetsADpopTokenBoundToItsKeyAndABoundSession()
    {
        (_, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();

        Assert.Equal("DPoP", pair.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(pair.Access()));
        SessionRecord stored = await _server.StoredSessionAsync(pair.SessionId());
        Assert.Equal(dpop.Thumbprint, stored.KeyThumbprint);
    }

    [Fact]
    public async Task ASignInWithoutAProofStaysBearer()
    {
        HttpClient http = _server.CreateBareClient();
        JsonElement pair = await http.RegisterAndSignInForTokensAsync("alice");

        Assert.Equal("Bearer", pair.GetProperty("token_type").GetString());
        Assert.Null(DpopAnswers.Jkt(pair.Access()));
        Assert.Null((await _server.StoredSessionAsync(pair.SessionId())).KeyThumbprint);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7fX0.e30.AAAA")]
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwiY3J2IjoiUC0yNTYiLCJ4IjoiQUFBQSIsInkiOiJBQUFBIn19.e30.AAAA")]
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Ilx1ZDgwMCIsImp3ayI6e319.e30.AAAA")] // {"typ":"dpop+jwt","alg":"\ud800","jwk":{}}: half a surrogate pair is no text (RFC 7493 §2.1)
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiXHVkZmZmIjoxLCJqd2siOnt9fQ.e30.AAAA")] // a member named "\udfff"
    public async Task AMalformedProofIsRefusedAsProblemJsonNeverA500(string proof)
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);

        HttpResponseMessage response = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), proof);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task TwoDpopHeadersAreRefused()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/token") { Content = JsonContent.Create(new { username = "alice", password = Tests.Http.Password }) };
        request.Headers.TryAddWithoutValidation("DPoP", dpop.Proof("POST", "/auth/token"));
        request.Headers.TryAddWithoutValidation("DPoP", dpop.Proof("POST", "/auth/token"));

        await (await http.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task AProofForAnotherEndpointIsRefused()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);

        HttpResponseMessage response = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), dpop.Proof("POST", "/auth/token/refresh"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task AReplayedProofIsRefusedAtTheTokenEndpoint()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        string proof = dpop.Proof("POST", "/auth/token");
        object body = new { username = "alice", password = Tests.Http.Password };

        await (await dpop.PostAsync(http, "/auth/token", JsonContent.Create(body), proof)).AssertOkJsonAsync();
        HttpResponseMessage replayed = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(body), proof);

        await replayed.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task ABadProofIsRefusedBeforeThePasswordIsChecked()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);

        // A wrong password with a bad proof: the proof's refusal, not invalid_credentials.
        HttpResponseMessage response = await dpop.PostAsync(http, "/auth/token", JsonContent.Create(new { username = "alice", password = "wrong password!" }), "x.y.z");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task CookieDeliveryIsRefusedWithAProof()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);

        HttpResponseMessage response = await dpop.PostAsync(http, "/auth/token?delivery=cookie", JsonContent.Create(new { username = "alice", password = Tests.Http.Password }), dpop.Proof("POST", "/auth/token"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie("__Host-tessera-rt"));
    }

    [Fact]
    public async Task ABoundSessionRefreshesWithAProofByItsKeyAndStaysBound()
    {
        (HttpClient http, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();

        JsonElement refreshed = await (await dpop.RefreshAsync(http, pair.Refresh())).AssertOkJsonAsync();

        Assert.Equal("DPoP", refreshed.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
        Assert.Equal(pair.SessionId(), refreshed.SessionId());
    }

    [Fact]
    public async Task ABoundSessionsRefreshWithAnotherKeyOrNoProofIsRefusedAndChangesNothing()
    {
        (HttpClient http, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();
        var thief = new DpopClient(_server);

        await (await thief.RefreshAsync(http, pair.Refresh())).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
        await (await dpop.RefreshAsync(http, pair.Refresh(), withProof: false)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
        await (await http.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");

        // The refusals rotated nothing and revoked nothing: the owner's refresh still works.
        JsonElement refreshed = await (await dpop.RefreshAsync(http, pair.Refresh())).AssertOkJsonAsync();
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
    }

    [Fact]
    public async Task ABoundSessionsRefreshThroughOAuthTokenNeedsTheKeyToo()
    {
        (HttpClient http, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();
        KeyValuePair<string, string>[] form = [new("grant_type", "refresh_token"), new("refresh_token", pair.Refresh())];

        await (await new DpopClient(_server).OAuthTokenAsync(http, form)).AssertOAuthErrorAsync("invalid_dpop_proof");
        await (await dpop.OAuthTokenAsync(http, form, withProof: false)).AssertOAuthErrorAsync("invalid_dpop_proof");

        JsonElement refreshed = await (await dpop.OAuthTokenAsync(http, form)).AssertOkJsonAsync();
        Assert.Equal("DPoP", refreshed.GetProperty("token_type").GetString());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(refreshed.Access()));
    }

    [Fact]
    public async Task AnUnboundSessionRefreshedWithAProofIsRefused()
    {
        // RFC 9449 §5: a refresh token issued to a public client presenting a proof must be bound; a live
        // bearer session is not bound afterwards (a thief of its refresh token could lock it to their key).
        HttpClient http = _server.CreateBareClient();
        JsonElement pair = await http.RegisterAndSignInForTokensAsync("alice");

        await (await new DpopClient(_server).RefreshAsync(http, pair.Refresh())).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");

        JsonElement refreshed = await (await http.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        Assert.Equal("Bearer", refreshed.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task ReuseOfARotatedBoundRefreshTokenStillRevokesTheSession()
    {
        (HttpClient http, DpopClient dpop, JsonElement first) = await SignedInBoundAsync();
        JsonElement second = await (await dpop.RefreshAsync(http, first.Refresh())).AssertOkJsonAsync();
        JsonElement third = await (await dpop.RefreshAsync(http, second.Refresh())).AssertOkJsonAsync();

        // The first token is two generations old: reuse, even with a proof by the right key.
        await (await dpop.RefreshAsync(http, first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        await (await dpop.RefreshAsync(http, third.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.True((await _server.StoredSessionAsync(first.SessionId())).IsRevoked);
    }

    [Fact]
    public async Task ReuseWithoutAProofAlsoRevokesTheSession()
    {
        // Someone holds an old refresh token of a bound session (it leaked): the session ends, proof or not.
        (HttpClient http, DpopClient dpop, JsonElement first) = await SignedInBoundAsync();
        JsonElement second = await (await dpop.RefreshAsync(http, first.Refresh())).AssertOkJsonAsync();
        JsonElement third = await (await dpop.RefreshAsync(http, second.Refresh())).AssertOkJsonAsync();

        await (await http.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        Assert.True((await _server.StoredSessionAsync(third.SessionId())).IsRevoked);
    }

    [Fact]
    public async Task TheGraceAnswerForALostRefreshIsGivenOnlyToTheKey()
    {
        (HttpClient http, DpopClient dpop, JsonElement first) = await SignedInBoundAsync();
        JsonElement second = await (await dpop.RefreshAsync(http, first.Refresh())).AssertOkJsonAsync();

        // The same client again with the previous token, inside the grace window, without a proof: no tokens.
        await (await http.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");

        JsonElement again = await (await dpop.RefreshAsync(http, first.Refresh())).AssertOkJsonAsync();
        Assert.Equal(second.Refresh(), again.Refresh());
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(again.Access()));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("EdDSA")]
    public async Task RsaAndEdDsaKeysBindToo(string algorithm)
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server, algorithm);

        JsonElement pair = await (await dpop.SignInAsync(http, "alice")).AssertOkJsonAsync();

        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(pair.Access()));
    }
}
