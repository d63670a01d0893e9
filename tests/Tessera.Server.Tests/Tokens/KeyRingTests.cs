using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Jose.Keys;

namespace Tessera.Server.Tests.Tokens;

public sealed class KeyRingTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<JwkSet> JwksAsync(HttpClient client) => JwkSet.Parse(await client.GetStringAsync("/.well-known/jwks.json"));

    [Fact]
    public async Task TheJwksHoldsOnlyPublicKeys()
    {
        HttpClient client = _server.CreateBareClient();
        await client.RegisterAndSignInForTokensAsync("alice");

        string json = await client.GetStringAsync("/.well-known/jwks.json");

        JwkSet set = JwkSet.Parse(json);
        Assert.NotEmpty(set.Keys);
        Assert.All(set.Keys, key => Assert.False(key.HasPrivateKey));
        foreach (JsonElement key in JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray())
        {
            Assert.False(key.TryGetProperty("d", out _));
            Assert.Equal(key.GetProperty("kid").GetString(), Jwk.Parse(key.GetRawText()).Thumbprint);
        }
    }

    [Fact]
    public async Task TheDiscoveryDocumentNamesTheIssuerKeysEndpointsAndAlgorithms()
    {
        JsonElement document = await (await _server.CreateBareClient().GetAsync("/.well-known/openid-configuration")).AssertOkJsonAsync();

        Assert.Equal("https://localhost", document.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Equal("https://localhost/oauth2/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/revoke", document.GetProperty("revocation_endpoint").GetString());
        // OIDC Core §15.1: RS256 is required for ID tokens (#12); ES256 too.
        Assert.Equal(["RS256", "ES256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("refresh_token", document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("client_credentials", document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        // Registered confidential clients may introspect (#12), so the endpoint is always there.
        Assert.Equal("https://localhost/oauth2/introspect", document.GetProperty("introspection_endpoint").GetString());
    }

    [Fact]
    public async Task AConfiguredIssuerAndAlgorithmAreUsed()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = "https://auth.example.org", ["Tessera:Tokens:Algorithm"] = "EdDSA" });
        HttpClient client = server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        Assert.Equal("EdDSA", TokenHttp.Part(pair.Access(), 0).GetProperty("alg").GetString());
        Assert.Equal("https://auth.example.org", TokenHttp.Part(pair.Access(), 1).GetProperty("iss").GetString());
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        JsonElement document = await (await client.GetAsync("/.well-known/openid-configuration")).AssertOkJsonAsync();
        Assert.Equal("https://auth.example.org/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
    }

    [Fact]
    public async Task TheKeyIsKeptInTheDatabaseProtectedAndSurvivesARestart()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string kid;
            string access;
            using (var first = new TestServerFactory(dataDirectory: folder))
            {
                HttpClient client = first.CreateBareClient();
                access = (await client.RegisterAndSignInForTokensAsync("alice")).Access();
                kid = TokenHttp.Part(access, 0).GetProperty("kid").GetString()!;
            }

            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "tessera.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "SELECT protected_private FROM signing_keys WHERE kid = $kid;";
                command.Parameters.AddWithValue("$kid", kid);
                string stored = (string)(await command.ExecuteScalarAsync())!;
                Assert.DoesNotContain("\"d\"", stored, StringComparison.Ordinal);
                Assert.DoesNotContain(kid, stored, StringComparison.Ordinal);
            }

            using var second = new TestServerFactory(dataDirectory: folder);
            HttpClient again = second.CreateBareClient();
            await (await again.GetWithBearerAsync("/auth/me", access)).AssertOkJsonAsync();
            JsonElement pair = await again.SignInForTokensAsync("alice");
            Assert.Equal(kid, TokenHttp.Part(pair.Access(), 0).GetProperty("kid").GetString());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TwoInstancesSharingTheStoreAgreeOnTheKeys()
    {
        using var other = new TestServerFactory(dataDirectory: _server.DataDirectory, time: _server.Time);
        HttpClient one = _server.CreateBareClient();
        JsonElement pair = await one.RegisterAndSignInForTokensAsync("alice");
        HttpClient two = other.CreateBareClient();

        await (await two.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        JsonElement refreshed = await (await two.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();

        Assert.Equal(await one.GetStringAsync("/.well-known/jwks.json"), await two.GetStringAsync("/.well-known/jwks.json"));
        await (await one.GetWithBearerAsync("/auth/me", refreshed.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task ANewKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensExpired()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        string oldKid = TokenHttp.Part(first.Access(), 0).GetProperty("kid").GetString()!;

        // 30-day rotation, 1-hour publication lead: at day 30 minus 1 hour the successor appears.
        // (The ring keeps a key per algorithm: ES256 signs access tokens, RS256 only ID tokens.)
        _server.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
        JwkSet published = await JwksAsync(client);
        Assert.Equal(2, published.Keys.Count(k => k.Algorithm == "ES256"));
        string newKid = published.Keys.Where(k => k.Algorithm == "ES256").Select(k => k.KeyId!).Single(k => k != oldKid);
        _server.Time.Advance(TimeSpan.FromMinutes(55));
        JsonElement lastOfTheOldKey = await client.SignInForTokensAsync("alice");
        Assert.Equal(oldKid, TokenHttp.Part(lastOfTheOldKey.Access(), 0).GetProperty("kid").GetString());

        _server.Time.Advance(TimeSpan.FromMinutes(5));
        JsonElement afterSwitch = await client.SignInForTokensAsync("alice");
        Assert.Equal(newKid, TokenHttp.Part(afterSwitch.Access(), 0).GetProperty("kid").GetString());
        await (await client.GetWithBearerAsync("/auth/me", lastOfTheOldKey.Access())).AssertOkJsonAsync();

        // The old key signed its last token at the switch; it stays published for the access-token
        // lifetime (15 minutes) plus a minute of margin, then leaves the JWKS.
        _server.Time.Advance(TimeSpan.FromMinutes(16) - TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await JwksAsync(client)).Keys.Count(k => k.Algorithm == "ES256"));
        _server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([newKid], (await JwksAsync(client)).Keys.Where(k => k.Algorithm == "ES256").Select(k => k.KeyId));
    }
}
