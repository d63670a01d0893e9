using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.Server.Tests.Tokens;

public sealed class IntrospectionTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Tokens:Introspection:Clients:orders-api"] = "s3cret-for-tests" });

    public void Dispose() => _server.Dispose();

    private async Task<HttpResponseMessage> IntrospectAsync(string token, string? credentials = "orders-api:s3cret-for-tests")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = new FormUrlEncodedContent([new("token", token)]) };
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        return await _server.CreateBareClient().SendAsync(request);
    }

    [Fact]
    public async Task ALiveAccessTokenIsActiveWithItsClaims()
    {
        JsonElement pair = await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");

        JsonElement answer = await (await IntrospectAsync(pair.Access())).AssertOkJsonAsync();

        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal(pair.SessionId(), answer.GetProperty("sid").GetString());
        Assert.Equal(_server.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds(), answer.GetProperty("exp").GetInt64());
        Assert.Equal("tessera", answer.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task AnAccessTokenOfARevokedSessionIsInactiveAtOnce()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");
        await client.PostJsonAsync("/auth/token/revoke", new { refresh_token = pair.Refresh() });

        JsonElement answer = await (await IntrospectAsync(pair.Access())).AssertOkJsonAsync();

        Assert.Equal("""{"active":false}""", answer.GetRawText());
    }

    [Fact]
    public async Task ASessionRevokedByAnotherProcessWritingTheFileIsInactiveOnTheNextCall()
    {
        JsonElement pair = await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            // Asked again and again, as a resource server does: the session's row is remembered.
            Assert.True((await (await IntrospectAsync(pair.Access())).AssertOkJsonAsync()).GetProperty("active").GetBoolean());
        }

        // As `tessera session end` does: its own connection to the file, not the server's.
        string file = Path.Combine(_server.DataDirectory, "tessera.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using Microsoft.Data.Sqlite.SqliteCommand revoke = connection.CreateCommand();
            revoke.CommandText = "UPDATE sessions SET revoked_at = @at, revoked_reason = 'cli' WHERE handle = @handle;";
            revoke.Parameters.AddWithValue("@at", _server.Time.GetUtcNow().ToUnixTimeMilliseconds());
            revoke.Parameters.AddWithValue("@handle", pair.SessionId());
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        JsonElement answer = await (await IntrospectAsync(pair.Access())).AssertOkJsonAsync();

        Assert.Equal("""{"active":false}""", answer.GetRawText());
    }

    [Fact]
    public async Task TheCurrentRefreshTokenIsActiveAndARotatedOneIsNot()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        JsonElement second = await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();

        Assert.True((await (await IntrospectAsync(second.Refresh())).AssertOkJsonAsync()).GetProperty("active").GetBoolean());
        Assert.False((await (await IntrospectAsync(first.Refresh())).AssertOkJsonAsync()).GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("orders-api:wrong")]
    [InlineData("someone-else:s3cret-for-tests")]
    public async Task IntrospectionIsOpenOnlyToConfiguredCallers(string? credentials)
    {
        JsonElement pair = await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage response = await IntrospectAsync(pair.Access(), credentials);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task DiscoveryAdvertisesIntrospectionWhenCallersAreConfigured()
    {
        JsonElement document = await (await _server.CreateBareClient().GetAsync("/.well-known/openid-configuration")).AssertOkJsonAsync();

        Assert.Equal("https://localhost/oauth2/introspect", document.GetProperty("introspection_endpoint").GetString());
    }
}
