using System.Net;
using System.Text.Json;
using Tessera.AspNetCore.Tests.Bearer;
using Tessera.Jose.Keys;
using Tessera.OAuth;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// Tokens from the real issuer (this server's grants, with the user's roles and the granted scope)
/// against an API protected by <c>AddTesseraBearer</c> and its <c>RequireScope</c>/<c>RequireRole</c>
/// policies: the API reads the issuer's published JWKS, as it would in production.
/// </summary>
public sealed class TokenResourceServerPolicyTests : IAsyncLifetime
{
    private ProviderTokenHost _issuer = null!;
    private ResourceServer _api = null!;
    private (string Id, string Secret) _web;

    public async Task InitializeAsync()
    {
        _issuer = await ProviderTokenHost.StartAsync();
        (_, string secret) = await _issuer.AddConfidentialClientAsync("web", grants: [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials]);
        _web = ("web", secret);
        string jwks = await (await _issuer.Client.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();
        _api = await ResourceServer.StartAsync(options =>
        {
            options.Keys = JwkSet.Parse(jwks);
            options.ValidIssuer = ProviderTokenHost.Issuer;
            options.Audience = "tessera";
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private async Task<string> UserTokenAsync(string username, string scope, params string[] roles)
    {
        string userId = await _issuer.CreateUserAsync(username, roles);
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _issuer.SeedCodeAsync("web", userId, scope, challenge);
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _issuer.RedeemAsync(code, verifier, _web));
        return tokens.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task GrantedScopeOpensTheScopePolicyAndNothingMore()
    {
        string token = await UserTokenAsync("alice", "orders:read");

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/orders", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/orders", token, HttpMethod.Post)).StatusCode);
    }

    [Fact]
    public async Task TheUsersRoleOpensTheRolePolicy()
    {
        string admin = await UserTokenAsync("alice", "orders:read", "admin");
        string user = await UserTokenAsync("bob", "orders:read");

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/admin", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/admin", user)).StatusCode);
    }

    [Fact]
    public async Task ANarrowedRefreshLosesTheScopeItDropped()
    {
        string userId = await _issuer.CreateUserAsync("carol");
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _issuer.SeedCodeAsync("web", userId, "orders:read orders:write offline_access", challenge);
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _issuer.RedeemAsync(code, verifier, _web));
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/orders", tokens.GetProperty("access_token").GetString(), HttpMethod.Post)).StatusCode);

        JsonElement narrowed = await ProviderTokenHost.AssertTokensAsync(await _issuer.TokenAsync(_web, ("grant_type", "refresh_token"), ("refresh_token", tokens.GetProperty("refresh_token").GetString()!), ("scope", "orders:read")));

        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/orders", narrowed.GetProperty("access_token").GetString(), HttpMethod.Post)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/orders", narrowed.GetProperty("access_token").GetString())).StatusCode);
    }

    [Fact]
    public async Task AClientCredentialsTokenIsAcceptedByScope()
    {
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _issuer.TokenAsync(_web, ("grant_type", "client_credentials"), ("scope", "orders:read")));
        string token = tokens.GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/orders", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/admin", token)).StatusCode);
    }
}
