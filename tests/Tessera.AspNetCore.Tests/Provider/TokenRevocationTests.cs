using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>/oauth2/revoke (RFC 7009): access tokens revoke their session; only the owning client may revoke; client credentials verified.</summary>
public sealed class TokenRevocationTests : IAsyncLifetime
{
    private ProviderTokenHost _host = null!;
    private string _userId = null!;
    private (string Id, string Secret) _web;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync(ProviderTokenHost.WithIntrospectionClient);
        _userId = await _host.CreateUserAsync("alice");
        (_, string secret) = await _host.AddConfidentialClientAsync("web");
        _web = ("web", secret);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> CodeTokensAsync()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read offline_access", challenge);
        return await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));
    }

    private Task<HttpResponseMessage> RevokeAsync(string token, (string, string)? basic, string? hint = null)
    {
        var form = new List<KeyValuePair<string, string>> { KeyValuePair.Create("token", token) };
        if (hint is not null)
        {
            form.Add(KeyValuePair.Create("token_type_hint", hint));
        }

        return _host.PostFormAsync("/oauth2/revoke", form, basic);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    public async Task RevokingAnAccessTokenEndsItsSessionWhateverTheHint(string? hint)
    {
        JsonElement tokens = await CodeTokensAsync();
        string access = tokens.GetProperty("access_token").GetString()!;
        Assert.True((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());

        HttpResponseMessage response = await RevokeAsync(access, _web, hint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());
        Assert.False((await _host.IntrospectAsync(tokens.GetProperty("refresh_token").GetString()!)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.GetMeAsync(access)).StatusCode);
    }

    [Fact]
    public async Task FirstPartyAccessTokenIsRevokedWithoutClientAuthentication()
    {
        (await _host.Client.PostAsJsonAsync("/auth/register", new { username = "bob", password = ProviderTokenHost.Password })).EnsureSuccessStatusCode();
        JsonElement tokens = await ProviderTokenHost.JsonAsync(await _host.Client.PostAsJsonAsync("/auth/token", new { username = "bob", password = ProviderTokenHost.Password }));
        string access = tokens.GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(access, basic: null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.GetMeAsync(access)).StatusCode);
        Assert.False((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AnotherClientsTokenIsRefusedAndStaysActive()
    {
        (_, string otherSecret) = await _host.AddConfidentialClientAsync("other");
        JsonElement tokens = await CodeTokensAsync();
        string access = tokens.GetProperty("access_token").GetString()!;

        await ProviderTokenHost.AssertOAuthErrorAsync(await RevokeAsync(access, ("other", otherSecret)), "unauthorized_client");
        await ProviderTokenHost.AssertOAuthErrorAsync(await RevokeAsync(tokens.GetProperty("refresh_token").GetString()!, basic: null), "unauthorized_client");

        Assert.True((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task WrongClientSecretIsInvalidClientWithABasicChallenge()
    {
        JsonElement tokens = await CodeTokensAsync();
        string access = tokens.GetProperty("access_token").GetString()!;

        HttpResponseMessage response = await RevokeAsync(access, ("web", "not the secret"));

        await ProviderTokenHost.AssertOAuthErrorAsync(response, "invalid_client", 401);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.True((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AnInvalidTokenIsAnswered200()
    {
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync("not-a-token", _web)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync("a.b.c", _web)).StatusCode);
    }

    [Fact]
    public async Task RefreshTokenRevocationEndsTheSession()
    {
        JsonElement tokens = await CodeTokensAsync();

        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(tokens.GetProperty("refresh_token").GetString()!, _web, "refresh_token")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.GetMeAsync(tokens.GetProperty("access_token").GetString()!)).StatusCode);
    }
}
