using System.Net;
using System.Text.Json;
using Tessera.OAuth;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>client_credentials (RFC 6749 §4.4): a confidential client's own token, no user, no session, no refresh token.</summary>
public sealed class TokenClientCredentialsTests : IAsyncLifetime
{
    private ProviderTokenHost _host = null!;
    private (string Id, string Secret) _service;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync(ProviderTokenHost.WithIntrospectionClient);
        (_, string secret) = await _host.AddConfidentialClientAsync("service", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read", "orders:write"]);
        _service = ("service", secret);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ConfidentialClientGetsItsOwnTokenWithoutSidOrRefreshToken()
    {
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.TokenAsync(_service, ("grant_type", "client_credentials"), ("scope", "orders:read")));

        Assert.Equal("orders:read", tokens.GetProperty("scope").GetString());
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
        Assert.False(tokens.TryGetProperty("session_id", out _));
        JsonElement claims = ProviderTokenHost.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("service", claims.GetProperty("sub").GetString());
        Assert.Equal("service", claims.GetProperty("client_id").GetString());
        Assert.False(claims.TryGetProperty("sid", out _));
    }

    [Fact]
    public async Task WithoutScopeTheClientGetsAllItIsRegisteredFor()
    {
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.TokenAsync(_service, ("grant_type", "client_credentials")));

        Assert.Equal("orders:read orders:write", tokens.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("orders:admin")]
    [InlineData("orders:read openid")]
    [InlineData("offline_access")]
    public async Task ScopeBeyondTheRegistrationOrForAUserIsInvalidScope(string scope)
    {
        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.TokenAsync(_service, ("grant_type", "client_credentials"), ("scope", scope)), "invalid_scope");
    }

    [Fact]
    public async Task PublicClientCannotUseClientCredentials()
    {
        await _host.AddPublicClientAsync("spa", grants: [GrantTypes.ClientCredentials]);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.TokenAsync(null, ("grant_type", "client_credentials"), ("client_id", "spa")), "unauthorized_client");
    }

    [Fact]
    public async Task ClientNotRegisteredForItIsUnauthorizedClient()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("web");

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.TokenAsync(("web", secret), ("grant_type", "client_credentials")), "unauthorized_client");
    }

    [Fact]
    public async Task IntrospectionSaysActiveAndRevocationIsUnsupportedTokenType()
    {
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.TokenAsync(_service, ("grant_type", "client_credentials")));
        string access = tokens.GetProperty("access_token").GetString()!;

        JsonElement introspection = await _host.IntrospectAsync(access);
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal("service", introspection.GetProperty("client_id").GetString());
        Assert.Equal(JsonValueKind.Null, introspection.TryGetProperty("sid", out JsonElement sid) ? sid.ValueKind : JsonValueKind.Null);

        HttpResponseMessage revoke = await _host.PostFormAsync("/oauth2/revoke", [KeyValuePair.Create("token", access)], _service);
        await ProviderTokenHost.AssertOAuthErrorAsync(revoke, "unsupported_token_type");
    }

    [Fact]
    public async Task ServerOwnApisRefuseAClientsOwnToken()
    {
        // The server's own APIs are about a user's session; a token naming none is not a credential there.
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.TokenAsync(_service, ("grant_type", "client_credentials")));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.GetMeAsync(tokens.GetProperty("access_token").GetString()!)).StatusCode);
    }
}
