using System.Net;
using System.Text.Json;
using Tessera.Sessions;

namespace Tessera.Server.Tests.Tokens;

public sealed class RefreshTests : IDisposable
{
    private readonly TestServerFactory _server = new();
    private readonly HttpClient _client;

    public RefreshTests() => _client = _server.CreateBareClient();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RefreshRotatesTheRefreshTokenWithinTheSameSession()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        _server.Time.Advance(TimeSpan.FromMinutes(20));

        JsonElement second = await (await _client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();

        Assert.NotEqual(first.Refresh(), second.Refresh());
        Assert.Equal(first.SessionId(), second.SessionId());
        await (await _client.GetWithBearerAsync("/auth/me", second.Access())).AssertOkJsonAsync();
        SessionRecord stored = await _server.StoredSessionAsync(first.SessionId());
        Assert.Equal(TokenHttp.HashOf(second.Refresh()), stored.SecretHash.ToArray());
        Assert.Equal(TokenHttp.HashOf(first.Refresh()), stored.PreviousSecretHash?.ToArray());
    }

    [Fact]
    public async Task TheStandardTokenEndpointRefreshesAFormPost()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage response = await _client.OAuthRefreshAsync(first.Refresh());

        JsonElement second = await response.AssertOkJsonAsync();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", second.GetProperty("token_type").GetString());
        await (await _client.GetWithBearerAsync("/auth/me", second.Access())).AssertOkJsonAsync();
    }

    [Theory]
    [InlineData("grant_type=password&username=a&password=b", "unsupported_grant_type")]
    [InlineData("refresh_token=x", "invalid_request")]
    [InlineData("grant_type=refresh_token", "invalid_request")]
    [InlineData("grant_type=refresh_token&refresh_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_grant")]
    public async Task TheStandardTokenEndpointAnswersErrorsInTheRfc6749Shape(string form, string error)
    {
        var content = new StringContent(form, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");

        HttpResponseMessage response = await _client.PostAsync("/oauth2/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        JsonElement body = await response.JsonAsync();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task AnUnknownRefreshTokenIsAnInvalidGrant()
    {
        await (await _client.RefreshAsync(SessionSecret.Generate().Secret)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_grant");
        await (await _client.RefreshAsync("short")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_grant");
    }

    [Fact]
    public async Task RefreshTokenUsedAgainAfterTheGraceWindowRevokesTheWholeSession()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement second = await (await _client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(6));

        HttpResponseMessage replay = await _client.RefreshAsync(first.Refresh());

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await (await _client.RefreshAsync(second.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.GetWithBearerAsync("/auth/me", second.Access())).AssertBearerRefusedAsync("session_revoked");
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await _server.StoredSessionAsync(first.SessionId())).RevocationReason);
    }

    [Fact]
    public async Task ReuseOnTheStandardEndpointIsAnInvalidGrantNamingTheReuse()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        await (await _client.OAuthRefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(6));

        HttpResponseMessage replay = await _client.OAuthRefreshAsync(first.Refresh());

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        JsonElement body = await replay.JsonAsync();
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("refresh_token_reused", body.GetProperty("tessera_error").GetString());
    }

    [Fact]
    public async Task ThePreviousTokenWithinTheGraceWindowGetsTheSameNewTokenAndNoSecondBranch()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement second = await (await _client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(4));

        JsonElement again = await (await _client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();

        Assert.Equal(second.Refresh(), again.Refresh());
        SessionRecord stored = await _server.StoredSessionAsync(first.SessionId());
        Assert.Equal(TokenHttp.HashOf(second.Refresh()), stored.SecretHash.ToArray());
        await (await _client.GetWithBearerAsync("/auth/me", again.Access())).AssertOkJsonAsync();

        // The one live token moves on: only the newest pair works.
        JsonElement third = await (await _client.RefreshAsync(again.Refresh())).AssertOkJsonAsync();
        await (await _client.GetWithBearerAsync("/auth/me", third.Access())).AssertOkJsonAsync();
        Assert.Equal(TokenHttp.HashOf(third.Refresh()), (await _server.StoredSessionAsync(first.SessionId())).SecretHash.ToArray());
    }

    [Fact]
    public async Task ARefreshTokenSeveralRotationsOldIsReuseToo()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement pair = first;
        for (int i = 0; i < 3; i++)
        {
            _server.Time.Advance(TimeSpan.FromMinutes(10));
            pair = await (await _client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        }

        await (await _client.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        await (await _client.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await _client.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
    }

    [Fact]
    public async Task TheGraceWindowEndsAFewSecondsAfterEachRotation()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        JsonElement second = await (await _client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(10));
        await (await _client.RefreshAsync(second.Refresh())).AssertOkJsonAsync();

        // Right after the second rotation, the token it replaced is in its grace window; a few seconds later it is reuse.
        await (await _client.RefreshAsync(second.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(6));
        await (await _client.RefreshAsync(second.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
    }

    [Fact]
    public async Task RefreshTokenStopsWorkingAfterFourteenIdleDays()
    {
        JsonElement first = await _client.RegisterAndSignInForTokensAsync("alice");
        _server.Time.Advance(TimeSpan.FromDays(14));

        await (await _client.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public async Task RefreshingSlidesTheIdleLifetimeButNotTheAbsoluteOne()
    {
        JsonElement pair = await _client.RegisterAndSignInForTokensAsync("alice");
        for (int i = 0; i < 2; i++)
        {
            _server.Time.Advance(TimeSpan.FromDays(13));
            pair = await (await _client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        }

        _server.Time.Advance(TimeSpan.FromDays(4) - TimeSpan.FromSeconds(1));
        pair = await (await _client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(1));

        await (await _client.RefreshAsync(pair.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public async Task AnUnexpiredAccessTokenOfAnIdleExpiredSessionIsRefused()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:RefreshIdleLifetime"] = "00:10:00" });
        HttpClient client = server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");
        server.Time.Advance(TimeSpan.FromMinutes(9));
        pair = await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();

        server.Time.Advance(TimeSpan.FromMinutes(10)); // the access token has 5 minutes left, the session none

        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_expired");
    }
}
