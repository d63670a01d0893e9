using System.Net;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Bearer;

public class TesseraBearerTests : BearerTestBase
{
    [Fact]
    public async Task ValidTokenIsAcceptedWithItsClaimsMapped()
    {
        ResourceServer api = await StartApiAsync();
        string token = Issuer.Token();

        Identity me = await AcceptedAsync(await api.GetAsync("/me", token));

        Assert.Equal("alice", me.Subject);
        Assert.Equal("alice", me.Name);
        Assert.Equal(["admin", "clerk"], me.Roles);
        Assert.True(me.IsAdmin);
        Assert.Equal(["orders:read", "profile"], me.Scopes);
        Assert.Equal("s-1", me.SessionId);
        Assert.NotNull(me.JwtId);
        Assert.Equal("acme", me.Tenant);
        Assert.Equal([FakeIssuer.Audience], me.Audiences);
    }

    [Fact]
    public async Task OtherClaimsKeepTheirNameAndJsonType()
    {
        ResourceServer api = await StartApiAsync();
        string token = Issuer.Token(d =>
        {
            d.AdditionalClaims!["level"] = 3;
            d.AdditionalClaims["ratio"] = 0.5;
            d.AdditionalClaims["verified"] = true;
            d.AdditionalClaims["groups"] = new System.Text.Json.Nodes.JsonArray("a", "b");
            d.AdditionalClaims["address"] = new System.Text.Json.Nodes.JsonObject { ["city"] = "Rome" };
            d.AdditionalClaims["nothing"] = null;
        });

        HttpResponseMessage response = await api.GetAsync("/claims", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[][] claims = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<string[][]>(response.Content))!;

        Assert.Contains(["level", "3", System.Security.Claims.ClaimValueTypes.Integer64], claims);
        Assert.Contains(["ratio", "0.5", System.Security.Claims.ClaimValueTypes.Double], claims);
        Assert.Contains(["verified", "true", System.Security.Claims.ClaimValueTypes.Boolean], claims);
        Assert.Contains(["groups", "a", System.Security.Claims.ClaimValueTypes.String], claims);
        Assert.Contains(["groups", "b", System.Security.Claims.ClaimValueTypes.String], claims);
        Assert.Contains(["address", "{\"city\":\"Rome\"}", "JSON"], claims);
        Assert.DoesNotContain(claims, c => c[0] is "nothing" or "roles");
        Assert.Single(claims, c => c[0] == "sub"); // the user id keeps its JWT name, once
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("bearer")]
    public async Task AnEmptyBearerTokenIsRefusedAsMalformed(string header)
    {
        ResourceServer api = await StartApiAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        await AssertRefusedAsync(await api.Client.SendAsync(request), "malformed");
    }

    [Fact]
    public async Task TheBearerSchemeNameIsCaseInsensitive()
    {
        ResourceServer api = await StartApiAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", "bEARER " + Issuer.Token());

        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task NameClaimTypeAndRoleClaimTypeCanBeConfigured()
    {
        ResourceServer api = await StartApiAsync(o => (o.NameClaimType, o.RoleClaimType) = ("tenant", "role"));

        Identity me = await AcceptedAsync(await api.GetAsync("/me", Issuer.Token()));

        Assert.Equal("acme", me.Name);
        Assert.True(me.IsAdmin);
        Assert.Empty(me.Roles); // no longer under ClaimTypes.Role
    }

    [Fact]
    public async Task RequestWithoutATokenGetsABareBearerChallenge()
    {
        ResourceServer api = await StartApiAsync();

        HttpResponseMessage response = await api.GetAsync("/me", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RFC 9449 §7.2 Figure 17: DPoP is offered beside Bearer, neither with an error.
        Assert.Equal("Bearer, DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"", Challenge(response));
        Assert.Equal(TesseraErrorCodes.Unauthenticated, await ErrorCodeOf(response));
        Assert.Equal(0, Issuer.JwksRequests); // nothing to check, nothing fetched
    }

    [Fact]
    public async Task AnonymousEndpointIgnoresABadToken()
    {
        ResourceServer api = await StartApiAsync();

        HttpResponseMessage response = await api.GetAsync("/public", "not.a.token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TokenCases.Refused), MemberType = typeof(TokenCases))]
    public async Task RefusedTokenGets401WithInvalidTokenAndItsCode(string tokenCase, string code)
    {
        ResourceServer api = await StartApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        HttpResponseMessage response = await api.GetAsync("/me", TokenCases.Build(Issuer, Time, tokenCase));

        await AssertRefusedAsync(response, code);
    }

    [Fact]
    public async Task TokenStopsWorkingWhenTheClockPassesItsExpiry()
    {
        ResourceServer api = await StartApiAsync(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        string token = Issuer.Token(); // exp = now + 10 min

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Time.Advance(TimeSpan.FromSeconds(2));

        await AssertRefusedAsync(await api.GetAsync("/me", token), "expired");
    }

    [Fact]
    public async Task AlgorithmOutsideTheAllowListIsRefusedEvenWithAPublishedKey()
    {
        Jwk es384 = Issuer.Publish("ES384");
        string token = Issuer.Token(key: es384);
        ResourceServer defaults = await StartApiAsync();
        ResourceServer strict = await StartApiAsync(o =>
        {
            o.AllowedAlgorithms.Clear();
            o.AllowedAlgorithms.Add("ES256");
        });

        Assert.Equal(HttpStatusCode.OK, (await defaults.GetAsync("/me", token)).StatusCode);
        await AssertRefusedAsync(await strict.GetAsync("/me", token), "alg_not_allowed");
    }

    [Fact]
    public async Task RealmIsNamedInTheChallengeWhenConfigured()
    {
        ResourceServer api = await StartApiAsync(o => o.Realm = "orders");

        Assert.StartsWith("Bearer realm=\"orders\", DPoP realm=\"orders\", algs=", Challenge(await api.GetAsync("/me", null)), StringComparison.Ordinal);
        Assert.StartsWith("Bearer realm=\"orders\", error=\"invalid_token\"", Challenge(await api.GetAsync("/me", "not.a.token")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopePolicyAdmitsATokenWithTheScopeAndAnswers403InsufficientScopeOtherwise()
    {
        ResourceServer api = await StartApiAsync();
        string token = Issuer.Token();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/orders", token)).StatusCode);
        HttpResponseMessage response = await api.GetAsync("/orders", token, HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"The token lacks the scope this resource requires.\", scope=\"orders:write orders:admin\"", Challenge(response));
        Assert.Equal(TesseraBearerErrorCodes.InsufficientScope, await ErrorCodeOf(response));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/orders", Issuer.Token(d => d.AdditionalClaims!["scope"] = "orders:admin"), HttpMethod.Post)).StatusCode);
    }

    [Fact]
    public async Task RolePolicyAdmitsOnlyTokensCarryingTheRole()
    {
        ResourceServer api = await StartApiAsync();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/admin", Issuer.Token())).StatusCode);
        HttpResponseMessage response = await api.GetAsync("/admin", Issuer.Token(d => d.AdditionalClaims!["roles"] = new System.Text.Json.Nodes.JsonArray("clerk")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", await ErrorCodeOf(response));
    }

    [Fact]
    public async Task FixedKeysNeedNoDiscovery()
    {
        ResourceServer api = await ResourceServer.StartAsync(o =>
        {
            o.Keys = JwkSet.Of(Issuer.SigningKey.ToPublicJwk());
            o.ValidIssuer = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
        });
        await using ResourceServer _ = api;

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(d => d.Issuer = "https://evil.example")), "issuer_invalid");
        Assert.Equal(0, Issuer.DiscoveryRequests + Issuer.JwksRequests);
    }

    [Fact]
    public async Task MessageReceivedEventMaySupplyTheToken()
    {
        ResourceServer api = await StartApiAsync(o => o.Events.OnMessageReceived = context =>
        {
            context.Token = context.Request.Headers["X-Access-Token"];
            return Task.CompletedTask;
        });
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("X-Access-Token", Issuer.Token());

        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task TokenValidatedEventMayRefuseAToken()
    {
        ResourceServer api = await StartApiAsync(o => o.Events.OnTokenValidated = context =>
        {
            if (context.Claims.Subject == "mallory")
            {
                context.Fail("banned");
            }

            return Task.CompletedTask;
        });

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/me", Issuer.Token(d => d.Subject = "mallory"))).StatusCode);
    }

    [Fact]
    public async Task FailureAndChallengeEventsSeeTheCodeAndMayWriteTheirOwnResponse()
    {
        string? failedWith = null;
        ResourceServer api = await StartApiAsync(o =>
        {
            o.Events.OnAuthenticationFailed = context =>
            {
                failedWith = context.Failure.Code;
                return Task.CompletedTask;
            };
            o.Events.OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status418ImATeapot;
                await context.Response.WriteAsync(context.Failure?.Code ?? "none");
            };
        });

        HttpResponseMessage response = await api.GetAsync("/me", TokenCases.Tamper(Issuer.Token()));

        Assert.Equal("signature_invalid", failedWith);
        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("signature_invalid", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("missing audience")]
    [InlineData("http authority")]
    [InlineData("no authority nor keys")]
    [InlineData("introspection without credentials")]
    public async Task MisconfiguredOptionsStopTheHostAtStart(string problem)
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => ResourceServer.StartAsync(o =>
        {
            o.Authority = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
            o.RequireHttps = false;
            switch (problem)
            {
                case "missing audience":
                    o.Audience = null;
                    break;
                case "http authority":
                    o.RequireHttps = true;
                    break;
                case "no authority nor keys":
                    o.Authority = null;
                    break;
                default:
                    o.IntrospectionEndpoint = Issuer.Authority + "/oauth2/introspect";
                    break;
            }
        }));
    }
}

/// <summary>The same tests behind <c>UseTesseraAuthentication()</c> (no handler per request): every bearer check answers as behind <c>UseAuthentication()</c>.</summary>
public sealed class TesseraBearerTestsFastPath : TesseraBearerTests
{
    protected override bool TesseraAuthentication => true;
}
