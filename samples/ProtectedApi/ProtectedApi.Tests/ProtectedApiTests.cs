using System.Net;
using System.Text.Json;

namespace ProtectedApi.Tests;

/// <summary>What a caller of the API sees: 200 with the right token, 401 without one, 403 without the right scope or role.</summary>
public sealed class ProtectedApiTests(TestIssuer issuer) : IClassFixture<TestIssuer>
{
    [Fact]
    public async Task AnyValidTokenReachesTheAuthorizeEndpoint()
    {
        HttpResponseMessage response = await issuer.ClientWith(issuer.Token("alice")).GetAsync("/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task NoTokenIsAPlainBearerChallenge()
    {
        HttpResponseMessage response = await issuer.ClientWith(null).GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RFC 6750 §3.1: a request without credentials gets no error attribute. RFC 9449 §7.2: the handler
        // accepts DPoP-bound tokens too, so it offers both schemes, DPoP with the proof algorithms it takes.
        Assert.Equal(["Bearer", "DPoP"], response.Headers.WwwAuthenticate.Select(c => c.Scheme));
        Assert.Null(response.Headers.WwwAuthenticate.First().Parameter);
        Assert.StartsWith("algs=", response.Headers.WwwAuthenticate.Last().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRightScopeReadsTheOrders()
    {
        HttpResponseMessage response = await issuer.ClientWith(issuer.Token("alice", scope: "profile orders:read")).GetAsync("/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("owner").GetString());
    }

    [Fact]
    public async Task AMissingScopeIsForbiddenAndTheChallengeNamesIt()
    {
        HttpResponseMessage response = await issuer.ClientWith(issuer.Token("alice", scope: "profile")).GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        string challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer ", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"orders:read\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminRoleReadsTheReportsAndOthersAreForbidden()
    {
        HttpResponseMessage admin = await issuer.ClientWith(issuer.Token("carol", roles: ["admin"])).GetAsync("/reports");
        HttpResponseMessage user = await issuer.ClientWith(issuer.Token("alice", roles: ["user"])).GetAsync("/reports");

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Empty(user.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("signature")]
    [InlineData("audience")]
    public async Task ARefusedTokenIsAnInvalidTokenChallenge(string flaw)
    {
        string token = flaw switch
        {
            "expired" => issuer.Token("alice", scope: "orders:read", lifetime: TimeSpan.FromMinutes(-5)),
            "signature" => issuer.Token("alice", scope: "orders:read", key: issuer.StrangerKey),
            _ => issuer.Token("alice", scope: "orders:read", audience: "another-api"),
        };

        HttpResponseMessage response = await issuer.ClientWith(token).GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The error is on the scheme the client used (RFC 9449 §7.2); the DPoP scheme is offered beside it.
        string challenge = Assert.Single(response.Headers.WwwAuthenticate, c => c.Scheme == "Bearer").ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
