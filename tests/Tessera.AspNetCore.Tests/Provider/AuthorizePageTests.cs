using System.Net;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// The sign-in and consent pages: accessible HTML, every value encoded, a strict CSP that still lets
/// the form lead back to the client, CSRF-checked posts, and a pending request that cannot be
/// changed, reused after it expires, or used to skip the sign-in it demanded.
/// </summary>
public sealed class AuthorizePageTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        await _host.RegisterAsync("alice");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SignInPageIsAccessibleEncodedAndPrefilledWithTheLoginHint()
    {
        HttpResponseMessage page = await _host.GetAsync((await _host.GetAsync(AuthorizeUrl(("login_hint", "al\"ice<")))).Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">Username</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"al&quot;ice&lt;\"", html, StringComparison.Ordinal);
        Assert.Contains("Shop &lt;App&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Shop <App>", html, StringComparison.Ordinal);
        // #16: one script, the passkey sign-in's, which the CSP allows by its hash (and nothing else).
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<script"));
        Assert.Contains("autocomplete=\"username webauthn\"", html, StringComparison.Ordinal);

        string csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        // The sign-in post may be answered by a redirect to the client: form-action must allow it.
        Assert.Contains("form-action 'self' https://app.example;", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]+';", csp);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task WrongPasswordShowsTheFormAgainWithAnErrorTiedToTheFields()
    {
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl());

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice"), new("password", "wrong password!")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"signin-error\" class=\"error\" role=\"alert\">The username or password is wrong.</p>", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"signin-error\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"alice\"", html, StringComparison.Ordinal);
        Assert.Equal(pending, HiddenValue(html, "request"));
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task MissingPasswordIsTiedToThePasswordFieldOnly()
    {
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl());

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice")]);

        string html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("<input id=\"password\"[^>]*aria-describedby=\"signin-error\"", html);
        Assert.DoesNotMatch("<input id=\"username\"[^>]*aria-describedby", html);
    }

    [Fact]
    public async Task CrossSiteSignInPostIsRefused()
    {
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl());

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice"), new("password", Password)], site: "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task ChangedPendingRequestIsRefusedWithAPage()
    {
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl());
        string changed = pending[..^5] + (pending[^5] == 'A' ? 'B' : 'A') + pending[^4..];

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/signin", [new("request", changed), new("username", "alice"), new("password", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task PendingRequestExpires()
    {
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl());
        _host.Time.Advance(TimeSpan.FromMinutes(16));

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice"), new("password", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.HasSessionCookie);
    }

    [Fact]
    public async Task ConsentPageCannotSkipTheSignInTheRequestDemanded()
    {
        // Signed in, then a request with prompt=login: its pending value is not bound to any session.
        await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice");
        string pending = await PendingFromSignInPageAsync(AuthorizeUrl(("prompt", "login"), ("scope", "openid profile offline_access")));

        HttpResponseMessage consent = await _host.PostFormAsync("/oauth2/consent", [new("request", pending), new("decision", "allow")]);

        Assert.Equal(HttpStatusCode.SeeOther, consent.StatusCode);
        Assert.StartsWith("/oauth2/signin?", consent.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentPageNamesTheClientAndTheScopesInWordsAndLetsTheFormReachTheClient()
    {
        HttpResponseMessage toConsent = await SignInAsync(AuthorizeUrl(("scope", "openid profile offline_access tessera")));
        Assert.StartsWith("/oauth2/consent?", toConsent.Headers.Location!.OriginalString, StringComparison.Ordinal);

        HttpResponseMessage page = await _host.GetAsync(toConsent.Headers.Location!.OriginalString);

        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Allow Shop &lt;App&gt; to use your account?</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>alice</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Know who you are", html, StringComparison.Ordinal);
        Assert.Contains("See your username", html, StringComparison.Ordinal);
        Assert.Contains("Stay connected", html, StringComparison.Ordinal);
        Assert.Contains("tessera", html, StringComparison.Ordinal);
        Assert.Contains("name=\"decision\" value=\"allow\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"decision\" value=\"deny\"", html, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://app.example;", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossSiteConsentPostIsRefused()
    {
        HttpResponseMessage toConsent = await SignInAsync(AuthorizeUrl());
        string pending = HiddenValue(await (await _host.GetAsync(toConsent.Headers.Location!.OriginalString)).Content.ReadAsStringAsync(), "request");

        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/consent", [new("request", pending), new("decision", "allow")], site: "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SignInWithoutARequestIsAnErrorPage()
    {
        HttpResponseMessage response = await _host.GetAsync("/oauth2/signin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> PendingFromSignInPageAsync(string authorizeUrl)
    {
        HttpResponseMessage toSignIn = await _host.GetAsync(authorizeUrl);
        Assert.StartsWith("/oauth2/signin?", toSignIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return HiddenValue(await (await _host.GetAsync(toSignIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync(), "request");
    }

    private async Task<HttpResponseMessage> SignInAsync(string authorizeUrl)
    {
        string pending = await PendingFromSignInPageAsync(authorizeUrl);
        return await _host.PostFormAsync("/oauth2/signin", [new("request", pending), new("username", "alice"), new("password", Password)]);
    }
}
