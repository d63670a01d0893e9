using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// The browser half and the token half together, as a client sees them: the code from the pages
/// redeems at <c>/oauth2/token</c>; userinfo repeats the ID token's subject; logout, consent
/// revocation and code replay end what the code issued.
/// </summary>
public sealed class AuthorizeEndToEndTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        await _host.RegisterAsync("alice");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CodeRedeemsForAnIdTokenWhoseSubjectNonceAndSidAgreeWithUserinfoAndTheAccessToken()
    {
        JsonElement tokens = await SignInForTokensAsync("openid profile offline_access");

        JsonElement idToken = Payload(tokens.GetProperty("id_token").GetString()!);
        JsonElement accessToken = Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("n-456", idToken.GetProperty("nonce").GetString());
        Assert.Equal(Spa, idToken.GetProperty("aud").GetString());
        Assert.Equal(Origin, idToken.GetProperty("iss").GetString());
        Assert.Equal(accessToken.GetProperty("sid").GetString(), idToken.GetProperty("sid").GetString());
        Assert.True(tokens.TryGetProperty("refresh_token", out _));

        HttpResponseMessage userInfo = await UserInfoAsync(tokens);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        JsonElement claims = await JsonAsync(userInfo);
        Assert.Equal(idToken.GetProperty("sub").GetString(), claims.GetProperty("sub").GetString());
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
    }

    [Fact]
    public async Task LogoutWithTheIdTokenEndsTheTokensItCameWith()
    {
        JsonElement tokens = await SignInForTokensAsync("openid");

        HttpResponseMessage logout = await _host.GetAsync(QueryHelpers.AddQueryString("/oauth2/logout", new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.GetProperty("id_token").GetString(),
            ["post_logout_redirect_uri"] = SignedOutUri,
        }));

        Assert.Equal(SignedOutUri, logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(tokens)).StatusCode);
        Assert.False(_host.HasSessionCookie);
        // The next authorization request needs a sign-in again.
        Assert.StartsWith("/oauth2/signin?", (await _host.GetAsync(AuthorizeUrl())).Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/auth/sessions")]
    [InlineData("DELETE", "/auth/sessions")]
    [InlineData("GET", "/auth/me")]
    [InlineData("GET", "/auth/consents")]
    [InlineData("DELETE", "/auth/consents/other-app")]
    public async Task AClientsAccessTokenDoesNotOpenTheUsersAccountApi(string method, string path)
    {
        // Consenting to openid lets the app know who the user is, not list their devices or sign them out everywhere.
        JsonElement tokens = await SignInForTokensAsync("openid");
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Headers = { Authorization = ProviderAuthorizeHost.Bearer(tokens.GetProperty("access_token").GetString()!) } };

        HttpResponseMessage response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("first_party_session_required", (await JsonAsync(response)).GetProperty("error").GetString());
        // Nothing ended: the token and the browser's own session still work.
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(tokens)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/auth/sessions")).StatusCode);
    }

    [Fact]
    public async Task RevokingTheConsentEndsTheTokens()
    {
        JsonElement tokens = await SignInForTokensAsync("openid");

        (await _host.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/consents/" + Spa))).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(tokens)).StatusCode);
    }

    [Fact]
    public async Task ASecondRedemptionOfTheCodeRevokesWhatTheFirstIssued()
    {
        string code = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice"))["code"];
        HttpResponseMessage first = await RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        JsonElement tokens = await JsonAsync(first);

        HttpResponseMessage second = await RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await JsonAsync(second)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(tokens)).StatusCode);
    }

    [Fact]
    public async Task ExpiredCodeIsRefused()
    {
        string code = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(), "alice"))["code"];
        _host.Time.Advance(TimeSpan.FromSeconds(61));

        HttpResponseMessage response = await RedeemAsync(code);

        Assert.Equal("invalid_grant", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    private async Task<JsonElement> SignInForTokensAsync(string scope)
    {
        string code = ClientParameters(await _host.AuthorizeThroughPagesAsync(AuthorizeUrl(("scope", scope)), "alice"))["code"];
        HttpResponseMessage response = await RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private Task<HttpResponseMessage> RedeemAsync(string code) =>
        _host.Client.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Callback,
            ["code_verifier"] = Verifier,
            ["client_id"] = Spa,
        }));

    private Task<HttpResponseMessage> UserInfoAsync(JsonElement tokens)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/oauth2/userinfo");
        request.Headers.Authorization = ProviderAuthorizeHost.Bearer(tokens.GetProperty("access_token").GetString()!);
        return _host.Client.SendAsync(request);
    }

    private static JsonElement Payload(string jwt)
    {
        string payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))).RootElement.Clone();
    }
}
