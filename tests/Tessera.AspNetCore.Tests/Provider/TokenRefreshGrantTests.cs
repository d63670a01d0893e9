using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.OAuth;
using Tessera.Users;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>The refresh grant at /oauth2/token: bound to its client, scope narrowed never widened (RFC 6749 §6), roles read at refresh.</summary>
public sealed class TokenRefreshGrantTests : IAsyncLifetime
{
    private ProviderTokenHost _host = null!;
    private string _userId = null!;
    private (string Id, string Secret) _web;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync();
        _userId = await _host.CreateUserAsync("alice", "admin");
        (_, string secret) = await _host.AddConfidentialClientAsync("web");
        _web = ("web", secret);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> SignInThroughCodeAsync(string scope = "orders:read orders:write offline_access")
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, scope, challenge);
        return await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));
    }

    private Task<HttpResponseMessage> RefreshAsync((string, string)? basic, string refreshToken, string? scope = null) =>
        scope is null
            ? _host.TokenAsync(basic, ("grant_type", "refresh_token"), ("refresh_token", refreshToken))
            : _host.TokenAsync(basic, ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", scope));

    [Fact]
    public async Task RefreshWithoutScopeKeepsTheGrantAndSaysSo()
    {
        JsonElement first = await SignInThroughCodeAsync();

        JsonElement next = await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, first.GetProperty("refresh_token").GetString()!));

        Assert.Equal("orders:read orders:write offline_access", next.GetProperty("scope").GetString());
        Assert.Equal("web", ProviderTokenHost.Payload(next.GetProperty("access_token").GetString()!).GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task RefreshAskingForASubsetGetsTheSubsetAndTheGrantStays()
    {
        JsonElement first = await SignInThroughCodeAsync();

        JsonElement narrowed = await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, first.GetProperty("refresh_token").GetString()!, "orders:read"));

        Assert.Equal("orders:read", narrowed.GetProperty("scope").GetString());
        Assert.Equal("orders:read", ProviderTokenHost.Payload(narrowed.GetProperty("access_token").GetString()!).GetProperty("scope").GetString());
        // RFC 6749 §6: the refresh token keeps the original scope; the next refresh may ask for all of it again.
        JsonElement again = await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, narrowed.GetProperty("refresh_token").GetString()!, "orders:read orders:write"));
        Assert.Equal("orders:read orders:write", again.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task RefreshWideningTheScopeIsInvalidScopeAndChangesNothing()
    {
        JsonElement first = await SignInThroughCodeAsync("orders:read offline_access");
        string refreshToken = first.GetProperty("refresh_token").GetString()!;

        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(_web, refreshToken, "orders:read orders:write"), "invalid_scope");

        // Nothing rotated: the same refresh token still works (no reuse detection was triggered).
        await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, refreshToken));
    }

    [Fact]
    public async Task FirstPartyRefreshCannotWidenTheDefaultScope()
    {
        (await _host.Client.PostAsJsonAsync("/auth/register", new { username = "bob", password = ProviderTokenHost.Password })).EnsureSuccessStatusCode();
        HttpResponseMessage signIn = await _host.Client.PostAsJsonAsync("/auth/token", new { username = "bob", password = ProviderTokenHost.Password });
        JsonElement tokens = await ProviderTokenHost.JsonAsync(signIn);
        Assert.Equal("tessera", tokens.GetProperty("scope").GetString());
        string refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(null, refreshToken, "tessera admin"), "invalid_scope");
        JsonElement refreshed = await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(null, refreshToken, "tessera"));
        Assert.Equal("tessera", refreshed.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task AnotherClientCannotRefreshTheToken()
    {
        (_, string otherSecret) = await _host.AddConfidentialClientAsync("other");
        JsonElement first = await SignInThroughCodeAsync();
        string refreshToken = first.GetProperty("refresh_token").GetString()!;

        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(("other", otherSecret), refreshToken), "invalid_grant");
        // Nor can it be refreshed without the client authenticating (as a first-party token).
        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(null, refreshToken), "invalid_grant");

        await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, refreshToken));
    }

    [Fact]
    public async Task ARegisteredClientCannotRefreshAFirstPartyToken()
    {
        (await _host.Client.PostAsJsonAsync("/auth/register", new { username = "bob", password = ProviderTokenHost.Password })).EnsureSuccessStatusCode();
        JsonElement tokens = await ProviderTokenHost.JsonAsync(await _host.Client.PostAsJsonAsync("/auth/token", new { username = "bob", password = ProviderTokenHost.Password }));

        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(_web, tokens.GetProperty("refresh_token").GetString()!), "invalid_grant");
    }

    [Fact]
    public async Task ClientNotRegisteredForRefreshIsUnauthorizedClient()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("codes-only", grants: [GrantTypes.AuthorizationCode]);

        await ProviderTokenHost.AssertOAuthErrorAsync(await RefreshAsync(("codes-only", secret), "whatever"), "unauthorized_client");
    }

    [Fact]
    public async Task RolesAreReadAgainAtRefresh()
    {
        JsonElement first = await SignInThroughCodeAsync();
        await _host.Get<IUserStore>().SetRolesAsync(_userId, ["auditor"], default);

        JsonElement next = await ProviderTokenHost.AssertTokensAsync(await RefreshAsync(_web, first.GetProperty("refresh_token").GetString()!));

        Assert.Equal(["auditor"], ProviderTokenHost.Payload(next.GetProperty("access_token").GetString()!).GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
    }

    [Fact]
    public async Task FirstPartyTokensCarryTheUsersRoles()
    {
        (await _host.Client.PostAsJsonAsync("/auth/register", new { username = "carol", password = ProviderTokenHost.Password })).EnsureSuccessStatusCode();
        UserRecord carol = (await _host.Get<IUserStore>().FindByNormalizedUsernameAsync(UsernameRules.Normalize("carol"), default))!;
        await _host.Get<IUserStore>().SetRolesAsync(carol.Id, ["admin"], default);

        HttpResponseMessage signIn = await _host.Client.PostAsJsonAsync("/auth/token", new { username = "carol", password = ProviderTokenHost.Password });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        JsonElement claims = ProviderTokenHost.Payload((await ProviderTokenHost.JsonAsync(signIn)).GetProperty("access_token").GetString()!);
        Assert.Equal(["admin"], claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
    }
}
