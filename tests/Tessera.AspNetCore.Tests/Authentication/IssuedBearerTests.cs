using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tests.Authentication;

/// <summary>The server's own bearer on a minimal host: what a refusal says, where the token comes from, its events.</summary>
public sealed class IssuedBearerTests : IAsyncLifetime
{
    private IssuedBearerHost _host = null!;

    public async Task InitializeAsync() => _host = await IssuedBearerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ExpiredAccessTokenIsInvalidTokenWithReasonExpired()
    {
        string token = (await _host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _host.GetMeAsync("Bearer " + token)).StatusCode);
        _host.Time.Advance(TimeSpan.FromMinutes(15));

        HttpResponseMessage response = await _host.GetMeAsync("Bearer " + token);

        await AssertInvalidTokenAsync(response, "expired");
        // RFC 9449 §7.2: the error on the scheme used, DPoP offered beside it.
        Assert.Equal("Bearer realm=\"Tessera\", error=\"invalid_token\", error_description=\"expired: The access token has expired.\", DPoP realm=\"Tessera\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"", IssuedBearerHost.Challenge(response));
    }

    [Fact]
    public async Task TamperedSignatureIsInvalidTokenWithReasonSignatureInvalid()
    {
        string token = (await _host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;
        // A character in the middle of the signature: all six of its bits count (the last one's do not).
        int at = token.LastIndexOf('.') + 10;
        string tampered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        HttpResponseMessage response = await _host.GetMeAsync("Bearer " + tampered);

        await AssertInvalidTokenAsync(response, "signature_invalid");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer tok\"en")]
    public async Task MalformedBearerHeaderIsRefusedNotIgnored(string authorization)
    {
        await AssertInvalidTokenAsync(await _host.GetMeAsync(authorization), "malformed");
    }

    [Fact]
    public async Task TwoAuthorizationHeadersAreRefused()
    {
        string token = (await _host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + token, "Bearer " + token]);

        await AssertInvalidTokenAsync(await _host.Client.SendAsync(request), "malformed");
    }

    [Fact]
    public async Task RequestWithoutCredentialsGetsTheCookieChallengeAndNoReason()
    {
        HttpResponseMessage response = await _host.Client.GetAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonElement problem = await IssuedBearerHost.ProblemAsync(response);
        Assert.Equal("unauthenticated", problem.GetProperty("error").GetString());
        Assert.False(problem.TryGetProperty("reason", out _));
        Assert.StartsWith("Cookie ", IssuedBearerHost.Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LowercaseSchemeAndExtraSpacesAreAccepted()
    {
        string token = (await _host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await _host.GetMeAsync("bearer " + token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.GetMeAsync("Bearer    " + token)).StatusCode);
    }

    [Fact]
    public async Task AccessTokenCookieIsReadWhenNoHeaderIsSent()
    {
        string token = (await _host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;

        string[][] claims = await IssuedBearerHost.ClaimsAsync(await _host.GetMeWithTokenCookieAsync(token));

        Assert.Contains(claims, c => c[0] == "sid");
    }

    [Fact]
    public async Task ScopeClaimsComeFromTheTokenOneEntryEach()
    {
        await using IssuedBearerHost host = await IssuedBearerHost.StartAsync(services =>
            services.Configure<TesseraTokenOptions>(new ConfigurationBuilder().AddInMemoryCollection([new("Scope", "orders:read profile")]).Build()));
        string token = (await host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;

        string[][] claims = await IssuedBearerHost.ClaimsAsync(await host.GetMeAsync("Bearer " + token));

        Assert.Equal(["orders:read", "profile"], claims.Where(c => c[0] == "scope").Select(c => c[1]));
    }

    [Fact]
    public async Task EventsSeeTheRejectionAndMayAddClaims()
    {
        var rejected = new List<TesseraError>();
        await using IssuedBearerHost host = await IssuedBearerHost.StartAsync(services =>
            services.Configure<IssuedBearerOptions>(IssuedBearerDefaults.AuthenticationScheme, o =>
            {
                o.Events.OnTokenRejected = context =>
                {
                    rejected.Add(context.Error);
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = context =>
                {
                    ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("tenant", "acme"));
                    return Task.CompletedTask;
                };
            }));
        string token = (await host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;

        string[][] claims = await IssuedBearerHost.ClaimsAsync(await host.GetMeAsync("Bearer " + token));
        host.Time.Advance(TimeSpan.FromMinutes(15));
        await host.GetMeAsync("Bearer " + token);

        Assert.Contains(["tenant", "acme"], claims);
        TesseraError error = Assert.Single(rejected);
        Assert.Equal(("invalid_token", "expired"), (error.Code, error.Reason));
    }

    [Fact]
    public async Task ValidatedEventMayRefuseTheToken()
    {
        await using IssuedBearerHost host = await IssuedBearerHost.StartAsync(services =>
            services.Configure<IssuedBearerOptions>(IssuedBearerDefaults.AuthenticationScheme, o =>
                o.Events.OnTokenValidated = context =>
                {
                    context.Fail("not today");
                    return Task.CompletedTask;
                }));
        string token = (await host.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;

        HttpResponseMessage response = await host.GetMeAsync("Bearer " + token);

        // A presented token the app refused is invalid_token (RFC 6750 §3.1), not "no token".
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", IssuedBearerHost.Challenge(response), StringComparison.Ordinal);
        Assert.Equal("invalid_token", (await IssuedBearerHost.ProblemAsync(response)).GetProperty("error").GetString());
    }

    /// <summary>RFC 6750 §3.1: 401, <c>error="invalid_token"</c> led in its description by the JOSE cause, which the problem names as <c>reason</c>.</summary>
    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith($"Bearer realm=\"Tessera\", error=\"invalid_token\", error_description=\"{reason}: ", IssuedBearerHost.Challenge(response), StringComparison.Ordinal);
        JsonElement problem = await IssuedBearerHost.ProblemAsync(response);
        Assert.Equal("invalid_token", problem.GetProperty("error").GetString());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
    }
}
