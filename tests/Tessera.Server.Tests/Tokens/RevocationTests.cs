using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests.Tokens;

public sealed class RevocationTests : IDisposable
{
    private readonly TestServerFactory _server = new();
    private readonly HttpClient _client;

    public RevocationTests() => _client = _server.CreateBareClient();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RevokingTheRefreshTokenSignsTheSessionOut()
    {
        JsonElement pair = await _client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage revoked = await _client.PostJsonAsync("/auth/token/revoke", new { refresh_token = pair.Refresh() });

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await (await _client.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
    }

    [Fact]
    public async Task TheStandardRevocationEndpointSignsTheSessionOutAndAnswers200Always()
    {
        JsonElement pair = await _client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage revoked = await _client.PostAsync("/oauth2/revoke", new FormUrlEncodedContent([new("token", pair.Refresh()), new("token_type_hint", "refresh_token")]));
        HttpResponseMessage unknown = await _client.PostAsync("/oauth2/revoke", new FormUrlEncodedContent([new("token", "whatever")]));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        await (await _client.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
    }

    [Fact]
    public async Task SigningOutWithTheBearerTokenEndsTheRefreshTokenToo()
    {
        JsonElement pair = await _client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage signedOut = await _client.SendWithBearerAsync(HttpMethod.Delete, "/auth/session", pair.Access());

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        await (await _client.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task LoggingOutOtherDevicesEndsTheirRefreshTokens()
    {
        JsonElement phone = await _client.RegisterAndSignInForTokensAsync("alice");
        HttpClient browser = _server.CreateBrowser();
        await browser.SignInAsync("alice");

        JsonElement result = await (await browser.DeleteAsync("/auth/sessions?others=true")).AssertOkJsonAsync();

        Assert.Equal(1, result.GetProperty("revoked").GetInt32());
        await (await _client.RefreshAsync(phone.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.GetWithBearerAsync("/auth/me", phone.Access())).AssertBearerRefusedAsync("session_revoked");
        await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync();
    }

    [Fact]
    public async Task EndingATokenSessionFromTheDeviceListEndsItsRefreshToken()
    {
        JsonElement phone = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement laptop = await _client.SignInForTokensAsync("alice");

        HttpResponseMessage ended = await _client.SendWithBearerAsync(HttpMethod.Delete, $"/auth/sessions/{phone.SessionId()}", laptop.Access());

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        await (await _client.RefreshAsync(phone.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.RefreshAsync(laptop.Refresh())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task ChangingThePasswordEndsEveryOtherSessionsRefreshToken()
    {
        JsonElement phone = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement laptop = await _client.SignInForTokensAsync("alice");

        HttpResponseMessage changed = await _client.SendWithBearerAsync(HttpMethod.Post, "/auth/password", laptop.Access(),
            new { currentPassword = Http.Password, newPassword = "a brand new passphrase" });

        JsonElement body = await changed.AssertOkJsonAsync();
        Assert.Equal(1, body.GetProperty("revoked").GetInt32());
        await (await _client.RefreshAsync(phone.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.RefreshAsync(laptop.Refresh())).AssertOkJsonAsync();
        await (await _client.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await _client.SignInForTokensAsync("alice", "a brand new passphrase");
    }

    [Fact]
    public async Task PasswordChangeWithTheWrongCurrentPasswordChangesNothing()
    {
        JsonElement phone = await _client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage refused = await _client.SendWithBearerAsync(HttpMethod.Post, "/auth/password", phone.Access(),
            new { currentPassword = "wrong password", newPassword = "a brand new passphrase" });

        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await _client.SignInForTokensAsync("alice");
    }
}
