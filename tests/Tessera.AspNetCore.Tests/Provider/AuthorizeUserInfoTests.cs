using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Tokens;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// <c>/oauth2/userinfo</c> (OIDC Core §5.3): the token's scope decides what it answers; refusals
/// are RFC 6750 §3.1 challenges. Tokens come from the first-party sign-in with the granted scope
/// configured, so this holds whatever grant issued them.
/// </summary>
public sealed class AuthorizeUserInfoTests
{
    [Fact]
    public async Task OpenIdAndProfileAnswerTheSubjectAndTheUsername()
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid profile");
        (string token, string userId) = await TokensAsync(host);

        foreach (HttpMethod method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            HttpResponseMessage response = await SendAsync(host, method, "Bearer " + token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            JsonElement claims = await JsonAsync(response);
            Assert.Equal(userId, claims.GetProperty("sub").GetString());
            Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
            Assert.Equal("alice", claims.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task OpenIdAloneAnswersOnlyTheSubject()
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid");
        (string token, string userId) = await TokensAsync(host);

        JsonElement claims = await JsonAsync(await SendAsync(host, HttpMethod.Get, "Bearer " + token));

        Assert.Equal(userId, claims.GetProperty("sub").GetString());
        Assert.False(claims.TryGetProperty("preferred_username", out _));
        Assert.Single(claims.EnumerateObject());
    }

    [Fact]
    public async Task TokenWithoutOpenIdIsInsufficientScope()
    {
        await using ProviderAuthorizeHost host = await StartAsync();
        (string token, _) = await TokensAsync(host);

        HttpResponseMessage response = await SendAsync(host, HttpMethod.Get, "Bearer " + token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        string challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer realm=\"Tessera\", error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"openid\"", challenge, StringComparison.Ordinal);
        Assert.Equal("insufficient_scope", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task NoTokenGetsABareBearerChallenge()
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid");

        HttpResponseMessage response = await SendAsync(host, HttpMethod.Get, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Tessera\", DPoP realm=\"Tessera\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Bearer not-a-jwt", HttpStatusCode.Unauthorized, "invalid_token")]
    [InlineData("Bearer", HttpStatusCode.BadRequest, "invalid_request")]
    public async Task BadTokenIsRefusedWithItsChallenge(string authorization, HttpStatusCode status, string error)
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid");

        HttpResponseMessage response = await SendAsync(host, HttpMethod.Get, authorization);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains($"error=\"{error}\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenOfAnEndedSessionIsInvalidToken()
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid");
        (string token, _) = await TokensAsync(host);
        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/auth/sessions") { Headers = { Authorization = ProviderAuthorizeHost.Bearer(token) } };
        (await host.Client.SendAsync(signOut)).EnsureSuccessStatusCode();

        HttpResponseMessage response = await SendAsync(host, HttpMethod.Get, "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example", true)]
    [InlineData("https://evil.example", false)]
    public async Task BrowserAppOfARegisteredOriginMayCallUserinfo(string origin, bool allowed)
    {
        await using ProviderAuthorizeHost host = await StartWithScopeAsync("openid");
        await host.Services.GetRequiredService<Tessera.OAuth.IClientStore>().TryCreateAsync(
            NewClient("browser-app", "Browser App", ["https://app.example/cb"]) with { CorsOrigins = ["https://app.example"] }, default);
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth2/userinfo");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        HttpResponseMessage response = await host.Client.SendAsync(preflight);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out IEnumerable<string>? values) && values.Single() == origin);
    }

    private static Task<ProviderAuthorizeHost> StartWithScopeAsync(string scope) =>
        StartAsync(services => services.AddSingleton(Options.Create(new TesseraTokenOptions { Scope = scope })));

    private static async Task<(string Token, string UserId)> TokensAsync(ProviderAuthorizeHost host)
    {
        await host.RegisterAsync("alice");
        HttpResponseMessage response = await host.Client.PostAsJsonAsync("/auth/token", new { username = "alice", password = Password });
        response.EnsureSuccessStatusCode();
        JsonElement tokens = await JsonAsync(response);
        Users.UserRecord user = (await host.Services.GetRequiredService<Users.IUserStore>().FindByNormalizedUsernameAsync(Users.UsernameRules.Normalize("alice"), default))!;
        return (tokens.GetProperty("access_token").GetString()!, user.Id);
    }

    private static Task<HttpResponseMessage> SendAsync(ProviderAuthorizeHost host, HttpMethod method, string? authorization)
    {
        var request = new HttpRequestMessage(method, "/oauth2/userinfo");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return host.Client.SendAsync(request);
    }
}
