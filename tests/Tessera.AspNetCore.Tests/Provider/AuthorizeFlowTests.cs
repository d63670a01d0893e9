using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.Sessions;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// The browser's way through the provider: sign-in page, consent page, the code; single sign-on on
/// a second visit; <c>prompt</c> and <c>max_age</c>; consent remembered, denied and revoked.
/// </summary>
public sealed class AuthorizeFlowTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        await _host.RegisterAsync("alice");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SignInAndConsentEndWithACodeStoredOnlyAsItsHashWithEveryBinding()
    {
        DateTimeOffset start = _host.Time.GetUtcNow();
        HttpResponseMessage response = await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("scope", "openid profile offline_access")), "alice");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Dictionary<string, string> answer = ClientParameters(response);
        Assert.Equal("st-123", answer["state"]);
        Assert.Equal(Origin, answer["iss"]);
        Assert.Equal(43, answer["code"].Length);
        Assert.True(_host.HasSessionCookie);

        SessionRecord browser = Assert.Single(await SessionsOfAsync("alice"));
        AuthorizationCode stored = (await Codes.TryRedeemAsync(Hash(answer["code"]), _host.Time.GetUtcNow(), "probe", default))!;
        Assert.NotNull(stored);
        Assert.Equal(Spa, stored.ClientId);
        Assert.Equal(browser.UserId, stored.UserId);
        Assert.Equal(Callback, stored.RedirectUri);
        Assert.Equal("openid profile offline_access", stored.Scope);
        Assert.Equal(Challenge, stored.CodeChallenge);
        Assert.Equal("n-456", stored.Nonce);
        Assert.Equal(browser.CreatedAt, stored.AuthenticatedAt);
        Assert.Equal(browser.Handle, stored.BrowserSessionHandle);
        Assert.Null(stored.RedeemedAt);
        Assert.Equal(TimeSpan.FromSeconds(60), stored.ExpiresAt - stored.CreatedAt);
        Assert.True(stored.CreatedAt >= start.AddSeconds(-1));
        Assert.Equal(32, stored.CodeHash.Length);
    }

    [Fact]
    public async Task ASecondVisitWithALiveSessionSkipsSignInAndRememberedConsent()
    {
        Assert.True(IsToClient(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice")));

        HttpResponseMessage second = await _host.GetAsync(AuthorizeUrl(("state", "second")));

        Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        Dictionary<string, string> answer = ClientParameters(second);
        Assert.Equal("second", answer["state"]);
        Assert.True(answer.ContainsKey("code"));
        Assert.Single(await SessionsOfAsync("alice"));
    }

    [Fact]
    public async Task PromptNoneWithASessionAndConsentAnswersAtOnce()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");

        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("prompt", "none"))));

        Assert.True(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task PromptNoneWithoutConsentIsConsentRequired()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");

        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("prompt", "none"), ("scope", "openid profile offline_access"))));

        Assert.Equal("consent_required", answer["error"]);
        Assert.Equal(Origin, answer["iss"]);
    }

    [Fact]
    public async Task PromptLoginAsksForTheSignInAgainAndThenAnswers()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");
        SessionRecord first = Assert.Single(await SessionsOfAsync("alice"));

        HttpResponseMessage asked = await _host.GetAsync(AuthorizeUrl(("prompt", "login")));
        Assert.StartsWith("/oauth2/signin?", asked.Headers.Location!.OriginalString, StringComparison.Ordinal);

        Dictionary<string, string> answer = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("prompt", "login")), "alice"));
        Assert.True(answer.ContainsKey("code"));
        // The new sign-in replaced the old browser session (no fixation).
        SessionRecord second = Assert.Single(await SessionsOfAsync("alice"));
        Assert.NotEqual(first.Handle, second.Handle);
    }

    [Fact]
    public async Task MaxAgeOlderThanTheSessionForcesASignIn()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");
        _host.Time.Advance(TimeSpan.FromMinutes(10));

        HttpResponseMessage young = await _host.GetAsync(AuthorizeUrl(("max_age", "3600")));
        Assert.True(ClientParameters(young).ContainsKey("code"));

        HttpResponseMessage old = await _host.GetAsync(AuthorizeUrl(("max_age", "300")));
        Assert.StartsWith("/oauth2/signin?", old.Headers.Location!.OriginalString, StringComparison.Ordinal);

        Assert.Equal("login_required", ClientParameters(await _host.GetAsync(AuthorizeUrl(("max_age", "300"), ("prompt", "none"))))["error"]);

        Dictionary<string, string> answer = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("max_age", "300")), "alice"));
        AuthorizationCode stored = (await Codes.TryRedeemAsync(Hash(answer["code"]), _host.Time.GetUtcNow(), "probe", default))!;
        Assert.True(_host.Time.GetUtcNow() - stored.AuthenticatedAt < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task DenyingConsentSendsAccessDeniedAndIssuesNothing()
    {
        Dictionary<string, string> answer = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice", decision: "deny"));

        Assert.Equal("access_denied", answer["error"]);
        Assert.Equal("st-123", answer["state"]);
        Assert.Equal(Origin, answer["iss"]);
        Assert.False(answer.ContainsKey("code"));
        Assert.Empty(await _host.Services.GetRequiredService<IConsentStore>().ListAsync((await UserAsync("alice")).Id, default));
    }

    [Fact]
    public async Task TrustedClientSkipsTheConsentPage()
    {
        HttpResponseMessage first = await _host.GetAsync(AuthorizeUrl(("client_id", Trusted), ("redirect_uri", "https://console.example/cb")));
        string pending = HiddenValue(await (await _host.GetAsync(first.Headers.Location!.OriginalString)).Content.ReadAsStringAsync(), "request");

        HttpResponseMessage signedIn = await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice"), new("password", Password)]);

        Assert.True(ClientParameters(signedIn, "https://console.example/cb").ContainsKey("code"));
    }

    [Fact]
    public async Task PromptConsentAsksAgainThoughConsentWasGiven()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");

        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl(("prompt", "consent")));

        Assert.StartsWith("/oauth2/consent?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentIsRememberedListedAndWhenRevokedEndsTheClientsSessionsAndIsAskedAgain()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("scope", "openid offline_access")), "alice");
        UserRecordView alice = await UserAsync("alice");
        SessionService sessions = _host.Services.GetRequiredService<SessionService>();
        // What the token endpoint creates when the code is redeemed: a token session granted to the client.
        IssuedSession granted = await sessions.CreateAsync(alice.Id, new SessionClient(null, "test"), SessionKinds.Token,
            new SessionLifetime(TimeSpan.FromHours(1), TimeSpan.FromDays(1)), new SessionGrant(Spa, "openid offline_access", _host.Time.GetUtcNow()), handle: null, default);

        JsonElement list = await JsonAsync(await _host.GetAsync("/auth/consents"));
        JsonElement consent = Assert.Single(list.GetProperty("consents").EnumerateArray());
        Assert.Equal(Spa, consent.GetProperty("clientId").GetString());
        Assert.Equal("Shop <App>", consent.GetProperty("clientName").GetString());
        Assert.Equal(["openid", "offline_access"], consent.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        HttpResponseMessage revoked = await _host.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/consents/" + Spa));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await JsonAsync(revoked)).GetProperty("revoked").GetInt32());

        SessionRecord? after = await sessions.FindByHandleAsync(granted.Session.Handle, alice.Id, SessionKinds.Token, default);
        Assert.True(after!.IsRevoked);
        Assert.Equal(RevocationReasons.ConsentRevoked, after.RevocationReason);
        // The browser session stays: only the client's sessions end.
        Assert.Single(await SessionsOfAsync("alice"));
        Assert.StartsWith("/oauth2/consent?", (await _host.GetAsync(AuthorizeUrl())).Headers.Location!.OriginalString, StringComparison.Ordinal);

        HttpResponseMessage again = await _host.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/consents/" + Spa));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("consent_not_found", (await JsonAsync(again)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ConsentsNeedASignedInUser()
    {
        HttpResponseMessage response = await _host.GetAsync("/auth/consents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ConsentAddsNewScopesToTheRememberedOnes()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("scope", "openid")), "alice");
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("scope", "profile")), "alice");

        Consent consent = (await _host.Services.GetRequiredService<IConsentStore>().FindAsync((await UserAsync("alice")).Id, Spa, default))!;
        Assert.Equal(["openid", "profile"], consent.Scopes);
        Assert.True(ClientParameters(await _host.GetAsync(AuthorizeUrl(("scope", "openid profile"), ("prompt", "none")))).ContainsKey("code"));
    }

    [Fact]
    public async Task FormPostResponseModeAnswersWithAFormToTheRedirectUri()
    {
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");

        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl(("response_mode", "form_post")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"https://app.example/callback\">", html, StringComparison.Ordinal);
        Assert.Equal(43, HiddenValue(html, "code").Length);
        Assert.Equal("st-123", HiddenValue(html, "state"));
        Assert.Equal(Origin, HiddenValue(html, "iss"));
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'self' https://app.example", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'sha256-", csp, StringComparison.Ordinal);
    }

    private IAuthorizationCodeStore Codes => _host.Services.GetRequiredService<IAuthorizationCodeStore>();

    private async Task<UserRecordView> UserAsync(string username)
    {
        Users.UserRecord user = (await _host.Services.GetRequiredService<Users.IUserStore>().FindByNormalizedUsernameAsync(Users.UsernameRules.Normalize(username), default))!;
        return new UserRecordView(user.Id);
    }

    private async Task<IReadOnlyList<SessionRecord>> SessionsOfAsync(string username) =>
        [.. (await _host.Services.GetRequiredService<SessionService>().ListAsync((await UserAsync(username)).Id, default)).Where(s => s.Kind == SessionKinds.Cookie)];

    private static bool IsToClient(HttpResponseMessage response) =>
        IsRedirect(response) && response.Headers.Location!.OriginalString.StartsWith(Callback, StringComparison.Ordinal);

    private sealed record UserRecordView(string Id);
}
