using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Tessera.OAuth;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// The authorization endpoint's refusals (RFC 6749 §4.1.2.1, RFC 9700 §4): an unverified client or
/// redirect URI gets an error page and goes nowhere; every other error goes back to the client with
/// its state and the issuer (RFC 9207).
/// </summary>
public sealed class AuthorizeRequestTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task UnknownClientGetsAnErrorPageAndNoRedirect()
    {
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl(("client_id", "nobody"))));
    }

    [Fact]
    public async Task MissingClientIdGetsAnErrorPage()
    {
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl(("client_id", null))));
    }

    [Theory]
    [InlineData("https://app.example/callback/")]
    [InlineData("https://app.example/callback/extra")]
    [InlineData("https://app.example/callbac")]
    [InlineData("https://app.example/Callback")]
    [InlineData("https://APP.example/callback")]
    [InlineData("HTTPS://app.example/callback")]
    [InlineData("http://app.example/callback")]
    [InlineData("https://app.example:443/callback")]
    [InlineData("https://app.example/callback?next=https://evil.example")]
    [InlineData("https://app.example/callback#fragment")]
    [InlineData("https://app.example/%63allback")]
    [InlineData("https://app.example/callback/../callback")]
    [InlineData("https://app.example@evil.example/callback")]
    [InlineData("https://evil.example@app.example/callback")]
    [InlineData("https://app.example.evil.example/callback")]
    [InlineData("https://evil.example/callback?https://app.example/callback")]
    [InlineData("https://evil.example/https://app.example/callback")]
    [InlineData("//evil.example/callback")]
    [InlineData("javascript:alert(1)//https://app.example/callback")]
    [InlineData("data:text/html,https://app.example/callback")]
    [InlineData(" https://app.example/callback")]
    public async Task RedirectUriThatIsNotExactlyRegisteredGetsAnErrorPage(string redirectUri)
    {
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl(("redirect_uri", redirectUri))));
    }

    [Fact]
    public async Task RedirectUriOfAnotherClientGetsAnErrorPage()
    {
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl(("redirect_uri", "https://console.example/cb"))));
    }

    [Fact]
    public async Task RedirectUriMayBeLeftOutOnlyWhenTheClientHasExactlyOne()
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("redirect_uri", null), ("prompt", "none"))));
        Assert.Equal("login_required", answer["error"]);

        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl(("client_id", Multi), ("redirect_uri", null))));
    }

    [Fact]
    public async Task RepeatedClientIdOrRedirectUriGetsAnErrorPage()
    {
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl() + "&client_id=" + Spa));
        await AssertErrorPageAsync(await _host.GetAsync(AuthorizeUrl() + "&redirect_uri=" + Uri.EscapeDataString(Callback)));
    }

    [Theory]
    [InlineData("code_challenge", null, "code_challenge is required")]
    [InlineData("code_challenge_method", null, "code_challenge_method is required")]
    [InlineData("code_challenge_method", "plain", "must be S256")]
    [InlineData("code_challenge_method", "s256", "must be S256")]
    [InlineData("code_challenge", "too-short", "base64url SHA-256")]
    [InlineData("response_type", null, "response_type is required")]
    [InlineData("max_age", "-1", "max_age")]
    [InlineData("max_age", "soon", "max_age")]
    [InlineData("prompt", "none login", "prompt")]
    [InlineData("prompt", "create", "prompt")]
    [InlineData("response_mode", "fragment", "response_mode")]
    public async Task InvalidRequestGoesBackToTheClientWithStateAndIssuer(string name, string? value, string description)
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl((name, value))));

        Assert.Equal("invalid_request", answer["error"]);
        Assert.Contains(description, answer["error_description"], StringComparison.Ordinal);
        Assert.Equal("st-123", answer["state"]);
        Assert.Equal(Origin, answer["iss"]);
        Assert.False(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task PlainPkceIsRefusedEvenWithAVerifierShapedChallenge()
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("code_challenge", Verifier), ("code_challenge_method", "plain"))));

        Assert.Equal("invalid_request", answer["error"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1/native/cb", "http://127.0.0.1:51234/native/cb", true)]
    [InlineData("http://127.0.0.1:8080/native/cb", "http://127.0.0.1:51234/native/cb", true)]
    [InlineData("http://[::1]/native/cb", "http://[::1]:61000/native/cb", true)]
    [InlineData("http://127.0.0.1/native/cb", "http://127.0.0.1:51234/native/cb2", false)]
    [InlineData("http://127.0.0.1/native/cb", "http://127.0.0.1:51234/native/../native/cb", false)]
    [InlineData("http://127.0.0.1/native/cb", "http://localhost:51234/native/cb", false)]
    [InlineData("http://127.0.0.1/native/cb", "http://127.0.0.2:51234/native/cb", false)]
    [InlineData("http://127.0.0.1/native/cb", "https://127.0.0.1:51234/native/cb", false)]
    [InlineData("http://127.0.0.1/native/cb", "http://127.0.0.1:51234@evil.example/native/cb", false)]
    [InlineData("http://localhost/native/cb", "http://localhost:51234/native/cb", false)]
    public async Task ALoopbackRedirectUriMatchesOnAnyPort(string registered, string sent, bool allowed)
    {
        // RFC 8252 §7.3: native apps listen on a port chosen at run time; everything but the port stays exact.
        await _host.Services.GetRequiredService<Tessera.OAuth.IClientStore>().TryCreateAsync(NewClient("native", "Native App", [registered]), default);

        // prompt=none: no browser session, so an accepted redirect URI gets login_required at once.
        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl(("client_id", "native"), ("redirect_uri", sent), ("prompt", "none")));

        if (allowed)
        {
            Assert.True(IsRedirect(response));
            Assert.StartsWith(sent + "?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.Equal("login_required", ClientParameters(response, sent)["error"]);
        }
        else
        {
            await AssertErrorPageAsync(response);
        }
    }

    [Fact]
    public async Task ARepeatedParameterOfTheCallersOwnNamingIsNotEchoedToTheClient()
    {
        // RFC 6749 §4.1.2.1: error_description is restricted ASCII that clients display; an
        // attacker-chosen parameter name must not become text on the client's page.
        string name = Uri.EscapeDataString("Your account is locked, call +1 555 0100");

        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl() + $"&{name}=1&{name}=2"));

        Assert.Equal("invalid_request", answer["error"]);
        Assert.DoesNotContain("locked", answer["error_description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state")]
    [InlineData("scope")]
    [InlineData("code_challenge")]
    [InlineData("nonce")]
    public async Task RepeatedParameterIsInvalidRequest(string name)
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl() + $"&{name}=again"));

        Assert.Equal("invalid_request", answer["error"]);
        Assert.Contains(name, answer["error_description"], StringComparison.Ordinal);
        Assert.Equal(Origin, answer["iss"]);
    }

    [Theory]
    [InlineData("token", "unsupported_response_type")]
    [InlineData("code id_token", "unsupported_response_type")]
    public async Task OnlyTheCodeResponseTypeIsSupported(string responseType, string error)
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("response_type", responseType))));

        Assert.Equal(error, answer["error"]);
        Assert.Equal("st-123", answer["state"]);
    }

    [Theory]
    [InlineData("openid admin")]
    [InlineData("")]
    [InlineData("openid \"quoted\"")]
    public async Task ScopeOutsideTheClientsIsInvalidScope(string scope)
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("scope", scope))));

        Assert.Equal("invalid_scope", answer["error"]);
    }

    [Fact]
    public async Task ClientWithoutTheCodeGrantIsUnauthorizedClient()
    {
        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl(("client_id", Service), ("redirect_uri", "https://service.example/cb")));

        Assert.Equal("unauthorized_client", ClientParameters(response, "https://service.example/cb")["error"]);
    }

    [Fact]
    public async Task RequestObjectsAreNotSupported()
    {
        Assert.Equal("request_not_supported", ClientParameters(await _host.GetAsync(AuthorizeUrl(("request", "eyJ.x.y"))))["error"]);
        Assert.Equal("request_uri_not_supported", ClientParameters(await _host.GetAsync(AuthorizeUrl(("request_uri", "urn:x"))))["error"]);
    }

    [Fact]
    public async Task PromptNoneWithoutASessionIsLoginRequired()
    {
        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl(("prompt", "none")));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Dictionary<string, string> answer = ClientParameters(response);
        Assert.Equal("login_required", answer["error"]);
        Assert.Equal("st-123", answer["state"]);
        Assert.Equal(Origin, answer["iss"]);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ErrorWithoutStateCarriesNoState()
    {
        Dictionary<string, string> answer = ClientParameters(await _host.GetAsync(AuthorizeUrl(("state", null), ("code_challenge", null))));

        Assert.Equal("invalid_request", answer["error"]);
        Assert.False(answer.ContainsKey("state"));
        Assert.Equal(Origin, answer["iss"]);
    }

    [Fact]
    public async Task WithoutASessionTheBrowserIsSentToTheSignInPage()
    {
        HttpResponseMessage response = await _host.GetAsync(AuthorizeUrl());

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/oauth2/signin?request=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostedFormRequestIsAnsweredLikeAQuery()
    {
        HttpResponseMessage response = await _host.PostFormAsync("/oauth2/authorize",
            Parameters(("prompt", "none")).Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)), site: "cross-site");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("login_required", ClientParameters(response)["error"]);
    }

    [Fact]
    public async Task RegisteredRedirectUriKeepsItsOwnQuery()
    {
        await using ProviderAuthorizeHost host = await StartAsync();
        const string withQuery = "https://query.example/cb?tenant=7";
        await host.Services.GetRequiredService<IClientStore>().TryCreateAsync(NewClient("query", "Query", [withQuery]), default);

        HttpResponseMessage response = await host.GetAsync(AuthorizeUrl(("client_id", "query"), ("redirect_uri", withQuery), ("prompt", "none")));

        string location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(withQuery + "&", location, StringComparison.Ordinal);
        Assert.Equal("7", QueryHelpers.ParseQuery(new Uri(location).Query)["tenant"].ToString());
    }

    private static async Task AssertErrorPageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'none'", csp, StringComparison.Ordinal);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
    }
}
