using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Keys;
using Tessera.OAuth;
using Tessera.OAuth.IdTokens;
using Tessera.Sessions;
using Tessera.Users;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// RP-initiated logout (<c>/oauth2/logout</c>): a valid <c>id_token_hint</c> ends the client's
/// session it names and the browser's; only a registered <c>post_logout_redirect_uri</c> is
/// followed; without a hint, a browser session ends only after a same-origin confirmation.
/// </summary>
public sealed class AuthorizeLogoutTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;
    private UserRecord _alice = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        await _host.RegisterAsync("alice");
        _alice = (await _host.Services.GetRequiredService<IUserStore>().FindByNormalizedUsernameAsync(UsernameRules.Normalize("alice"), default))!;
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");
        Assert.True(_host.HasSessionCookie);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ValidHintEndsTheClientsSessionAndTheBrowserSessionThenRedirectsWithState()
    {
        SessionRecord granted = await GrantedSessionAsync(Spa);
        SessionRecord browser = await BrowserSessionAsync();
        string hint = await IdTokenAsync(granted, Spa);

        HttpResponseMessage response = await _host.GetAsync(QueryHelpers.AddQueryString("/oauth2/logout",
            new Dictionary<string, string?> { ["id_token_hint"] = hint, ["post_logout_redirect_uri"] = SignedOutUri, ["state"] = "bye" }));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(SignedOutUri + "?state=bye", response.Headers.Location!.OriginalString);
        Assert.False(_host.HasSessionCookie);
        Assert.Equal(RevocationReasons.LoggedOutByClient, (await FindAsync(granted))!.RevocationReason);
        Assert.True((await FindAsync(browser))!.IsRevoked);
    }

    [Fact]
    public async Task LogoutThatEndsTheBrowserSessionAsksTheBrowserToClearTheSitesData()
    {
        string hint = await IdTokenAsync(await GrantedSessionAsync(Spa), Spa);

        HttpResponseMessage response = await _host.GetAsync(QueryHelpers.AddQueryString("/oauth2/logout", new Dictionary<string, string?> { ["id_token_hint"] = hint }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // W3C Clear Site Data §3.1: quoted types.
        Assert.Equal("\"storage\"", string.Join(", ", response.Headers.GetValues("Clear-Site-Data")));
    }

    [Theory]
    [InlineData("https://app.example/signed-out/")]
    [InlineData("https://app.example/signed-out?x=1")]
    [InlineData("https://app.example/signed-outx")]
    [InlineData("https://evil.example/signed-out")]
    [InlineData("https://app.example@evil.example/signed-out")]
    [InlineData(Callback)]
    public async Task UnregisteredPostLogoutRedirectUriIsNotFollowed(string uri)
    {
        SessionRecord granted = await GrantedSessionAsync(Spa);
        string hint = await IdTokenAsync(granted, Spa);

        HttpResponseMessage response = await _host.GetAsync(QueryHelpers.AddQueryString("/oauth2/logout",
            new Dictionary<string, string?> { ["id_token_hint"] = hint, ["post_logout_redirect_uri"] = uri, ["state"] = "bye" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("You are signed out", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await FindAsync(granted))!.IsRevoked);
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task PostLogoutRedirectUriOfAnotherClientIsNotFollowed()
    {
        await _host.Services.GetRequiredService<IClientStore>().TryCreateAsync(
            NewClient("other", "Other", ["https://other.example/cb"]) with { PostLogoutRedirectUris = ["https://other.example/bye"] }, default);
        string hint = await IdTokenAsync(await GrantedSessionAsync(Spa), Spa);

        HttpResponseMessage response = await _host.GetAsync(QueryHelpers.AddQueryString("/oauth2/logout",
            new Dictionary<string, string?> { ["id_token_hint"] = hint, ["post_logout_redirect_uri"] = "https://other.example/bye" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task WithoutAHintAGetOnlyAsksForConfirmation()
    {
        SessionRecord browser = await BrowserSessionAsync();

        HttpResponseMessage response = await _host.GetAsync($"/oauth2/logout?client_id={Spa}&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri)}&state=s1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Sign out of Tessera?</h1>", html, StringComparison.Ordinal);
        Assert.Equal("yes", HiddenValue(html, "confirm"));
        Assert.Equal(SignedOutUri, HiddenValue(html, "post_logout_redirect_uri"));
        Assert.False((await FindAsync(browser))!.IsRevoked);
        Assert.True(_host.HasSessionCookie);

        HttpResponseMessage confirmed = await _host.PostFormAsync("/oauth2/logout",
            [new("client_id", Spa), new("post_logout_redirect_uri", SignedOutUri), new("state", "s1"), new("confirm", "yes")]);

        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        Assert.Equal(SignedOutUri + "?state=s1", confirmed.Headers.Location!.OriginalString);
        Assert.True((await FindAsync(browser))!.IsRevoked);
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task CrossSiteConfirmationWithoutAHintEndsNothing()
    {
        SessionRecord browser = await BrowserSessionAsync();

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/logout", [new("confirm", "yes")], site: "cross-site");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign out of Tessera?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await FindAsync(browser))!.IsRevoked);
    }

    [Fact]
    public async Task ForgedHintCountsAsNoHint()
    {
        SessionRecord granted = await GrantedSessionAsync(Spa);
        string hint = await IdTokenAsync(granted, Spa);
        string forged = hint[..^6] + (hint[^6] == 'A' ? 'B' : 'A') + hint[^5..];

        HttpResponseMessage response = await _host.GetAsync("/oauth2/logout?id_token_hint=" + forged);

        Assert.Contains("Sign out of Tessera?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await FindAsync(granted))!.IsRevoked);
    }

    [Fact]
    public async Task HintSidOfAnotherClientsSessionIsNotEnded()
    {
        SessionRecord trustedSession = await GrantedSessionAsync(Trusted);
        // A hint issued to spa whose sid names the trusted client's session.
        string hint = await IdTokenAsync(trustedSession with { ClientId = Spa }, Spa);

        await _host.GetAsync("/oauth2/logout?id_token_hint=" + hint);

        Assert.False((await FindAsync(trustedSession))!.IsRevoked);
    }

    [Fact]
    public async Task ClientIdThatContradictsTheHintIsAnErrorPage()
    {
        string hint = await IdTokenAsync(await GrantedSessionAsync(Spa), Spa);

        HttpResponseMessage response = await _host.GetAsync($"/oauth2/logout?client_id={Trusted}&id_token_hint={hint}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(_host.HasSessionCookie);
    }

    [Fact]
    public async Task WithoutABrowserSessionAValidHintStillEndsTheClientsSession()
    {
        SessionRecord granted = await GrantedSessionAsync(Spa);
        string hint = await IdTokenAsync(granted, Spa);
        _host.ForgetCookies();

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/logout", [new("id_token_hint", hint)], site: "cross-site");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await FindAsync(granted))!.IsRevoked);
    }

    private async Task<SessionRecord> GrantedSessionAsync(string clientId)
    {
        IssuedSession issued = await _host.Services.GetRequiredService<SessionService>().CreateAsync(_alice.Id, new SessionClient(null, "rp"), SessionKinds.Token,
            new SessionLifetime(TimeSpan.FromHours(1), TimeSpan.FromDays(1)), new SessionGrant(clientId, "openid", _host.Time.GetUtcNow()), handle: null, default);
        return issued.Session;
    }

    private async Task<SessionRecord> BrowserSessionAsync() =>
        Assert.Single(await _host.Services.GetRequiredService<SessionService>().ListAsync(_alice.Id, default), s => s.Kind == SessionKinds.Cookie);

    private Task<SessionRecord?> FindAsync(SessionRecord session) =>
        _host.Services.GetRequiredService<SessionService>().FindByHandleAsync(session.Handle, session.UserId, session.Kind, default).AsTask();

    private async Task<string> IdTokenAsync(SessionRecord session, string clientId)
    {
        OAuthClient client = (await _host.Services.GetRequiredService<IClientStore>().FindAsync(clientId, default))!;
        KeyRingSnapshot keys = await _host.Services.GetRequiredService<SigningKeyRing>().GetAsync(default);
        Outcome<string> token = _host.Services.GetRequiredService<IdTokenIssuer>().Issue(new IdTokenRequest
        {
            Session = session,
            User = _alice,
            Client = client,
            Issuer = Origin,
            AuthTime = session.CreatedAt,
            Scopes = ["openid"],
        }, keys);
        Assert.True(token.Succeeded);
        return token.Value;
    }
}
