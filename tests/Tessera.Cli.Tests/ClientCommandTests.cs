using System.Text.Json;
using Tessera.Cli.Tests.Support;
using Tessera.OAuth;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera client add|list|remove|rotate-secret</c> against a real data folder (SQLite, the server's schema).</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private ServerDataFolder _data = null!;

    public async Task InitializeAsync() => _data = await ServerDataFolder.CreateAsync();

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AddingAConfidentialClientPrintsItsSecretOnceAndStoresOnlyTheHash()
    {
        CliResult result = await CliRunner.SucceedAsync("client", "add", "web", "--type", "confidential", "--name", "Web shop",
            "--redirect-uri", "https://web.example.org/signin-oidc", "--cors-origin", "https://web.example.org", "--scope", "openid profile", "--scope", "shop.orders", "--data", _data.Path);

        string secret = SecretLine(result.Stdout);
        Assert.Contains("shown only this once", result.Stdout, StringComparison.Ordinal);
        OAuthClient stored = (await _data.Clients.FindAsync("web", default))!;
        Assert.True(ClientSecrets.Matches(secret, stored.SecretHashes));
        Assert.Equal(("Web shop", ClientAuthMethods.ClientSecretBasic), (stored.DisplayName, stored.TokenEndpointAuthMethod));
        Assert.Equal(["openid", "profile", "shop.orders"], stored.Scopes);
        Assert.Equal(["https://web.example.org"], stored.CorsOrigins);
    }

    [Fact]
    public async Task AddingAPublicClientWithJsonPrintsNoSecret()
    {
        JsonElement client = (await CliRunner.SucceedAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "http://127.0.0.1:5173/callback", "--no-consent", "--json", "--data", _data.Path)).Json();

        Assert.Equal("none", client.GetProperty("tokenEndpointAuthMethod").GetString());
        Assert.False(client.GetProperty("requireConsent").GetBoolean());
        Assert.Equal(0, client.GetProperty("secretCount").GetInt32());
        Assert.False(client.TryGetProperty("clientSecret", out _));
        Assert.False((await _data.Clients.FindAsync("spa", default))!.RequireConsent);
    }

    [Fact]
    public async Task AddingAPrivateKeyJwtClientReadsItsJwksFromStdin()
    {
        string jwks = $"{{\"keys\":[{Jose.Keys.Jwk.Generate("ES256", "svc-key").ToPublicJwk().ToJson()}]}}";

        JsonElement client = (await CliRunner.SucceedWithStdinAsync(jwks, "client", "add", "svc", "--type", "confidential", "--auth-method", "private_key_jwt",
            "--grant-type", "client_credentials", "--scope", "api.read", "--jwks", "-", "--json", "--data", _data.Path)).Json();

        Assert.Equal("svc-key", client.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kid").GetString());
        Assert.False(client.TryGetProperty("clientSecret", out _));
    }

    [Theory]
    [InlineData("client_redirect_uri_invalid", "--redirect-uri", "http://web.example.org/cb")]
    [InlineData("client_redirect_uri_invalid", "--redirect-uri", "https://web.example.org/cb#x")]
    [InlineData("client_cors_origin_invalid", "--cors-origin", "https://web.example.org/")]
    [InlineData("client_auth_method_invalid", "--auth-method", "none")]
    [InlineData("client_grant_types_invalid", "--grant-type", "password")]
    [InlineData("client_scope_invalid", "--scope", "bad\"scope")]
    [InlineData("client_id_token_alg_invalid", "--id-token-alg", "HS256")]
    public async Task AnInvalidSettingExitsTwoWithTheFieldsCodeAndStoresNothing(string code, string option, string value)
    {
        CliResult result = await CliRunner.RunAsync("client", "add", "web", "--type", "confidential", "--redirect-uri", "https://web.example.org/ok", option, value, "--data", _data.Path);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.StartsWith($"error: {code}: {option}: ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        Assert.Empty(await _data.Clients.ListAsync(default));
    }

    [Fact]
    public async Task AnInvalidClientIdOrTypeIsRefused()
    {
        CliResult badId = await CliRunner.RunAsync("client", "add", "bad id", "--type", "public", "--redirect-uri", "https://a.example/cb", "--data", _data.Path);
        CliResult badType = await CliRunner.RunAsync("client", "add", "web", "--type", "trusted", "--redirect-uri", "https://a.example/cb", "--data", _data.Path);

        Assert.StartsWith("error: client_id_invalid: CLIENT_ID: ", badId.Stderr, StringComparison.Ordinal);
        CliRunner.AssertUsageError(badType, "trusted");
    }

    [Fact]
    public async Task AddingATakenIdFails()
    {
        await CliRunner.SucceedAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "https://a.example/cb", "--data", _data.Path);

        CliRunner.AssertFailure(await CliRunner.RunAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "https://a.example/cb", "--data", _data.Path), "client_id_taken");
    }

    [Fact]
    public async Task ListShowsATableOrJsonWithoutSecrets()
    {
        string secret = SecretLine((await CliRunner.SucceedAsync("client", "add", "web", "--type", "confidential", "--redirect-uri", "https://web.example.org/cb", "--data", _data.Path)).Stdout);
        await CliRunner.SucceedAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "http://localhost:3000/cb", "--data", _data.Path);

        string table = (await CliRunner.SucceedAsync("client", "list", "--data", _data.Path)).Stdout;
        JsonElement json = (await CliRunner.SucceedAsync("client", "list", "--json", "--data", _data.Path)).Json();

        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CLIENT ID", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("spa ", lines[1], StringComparison.Ordinal);
        Assert.Contains("client_secret_basic", lines[2], StringComparison.Ordinal);
        Assert.Equal(["spa", "web"], json.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("clientId").GetString()));
        Assert.DoesNotContain(secret, table + json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListOfAnEmptyRegistrySaysSo()
    {
        Assert.Equal("No clients registered.\n", (await CliRunner.SucceedAsync("client", "list", "--data", _data.Path)).Stdout);
    }

    [Fact]
    public async Task RotateSecretReplacesTheSecretOrKeepsTheOldOneWithKeepOld()
    {
        string first = SecretLine((await CliRunner.SucceedAsync("client", "add", "web", "--type", "confidential", "--redirect-uri", "https://web.example.org/cb", "--data", _data.Path)).Stdout);

        string second = SecretLine((await CliRunner.SucceedAsync("client", "rotate-secret", "web", "--keep-old", "--data", _data.Path)).Stdout);
        IReadOnlyList<ReadOnlyMemory<byte>> both = (await _data.Clients.FindAsync("web", default))!.SecretHashes;
        JsonElement third = (await CliRunner.SucceedAsync("client", "rotate-secret", "web", "--json", "--data", _data.Path)).Json();
        IReadOnlyList<ReadOnlyMemory<byte>> only = (await _data.Clients.FindAsync("web", default))!.SecretHashes;

        Assert.True(ClientSecrets.Matches(first, both) && ClientSecrets.Matches(second, both));
        Assert.Equal(1, third.GetProperty("secretCount").GetInt32());
        Assert.True(ClientSecrets.Matches(third.GetProperty("clientSecret").GetString(), only));
        Assert.False(ClientSecrets.Matches(second, only));
    }

    [Fact]
    public async Task RotateSecretOfAPublicOrUnknownClientFails()
    {
        await CliRunner.SucceedAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "https://a.example/cb", "--data", _data.Path);

        CliRunner.AssertFailure(await CliRunner.RunAsync("client", "rotate-secret", "spa", "--data", _data.Path), "client_secret_not_used");
        CliRunner.AssertFailure(await CliRunner.RunAsync("client", "rotate-secret", "nobody", "--data", _data.Path), "client_not_found");
    }

    [Fact]
    public async Task RemoveDeletesTheClientAndAnUnknownOneFails()
    {
        await CliRunner.SucceedAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "https://a.example/cb", "--data", _data.Path);

        Assert.Equal("Removed client 'spa'.\n", (await CliRunner.SucceedAsync("client", "remove", "spa", "--data", _data.Path)).Stdout);
        Assert.Null(await _data.Clients.FindAsync("spa", default));
        CliRunner.AssertFailure(await CliRunner.RunAsync("client", "remove", "spa", "--data", _data.Path), "client_not_found");
    }

    [Fact]
    public async Task WithoutALocationOrWithBothItIsAUsageError()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("client", "list"), "--data DIR or --postgres");
        CliRunner.AssertUsageError(await CliRunner.RunAsync("client", "list", "--data", _data.Path, "--postgres", "Host=127.0.0.1"), "--data DIR or --postgres");
    }

    [Fact]
    public async Task AFolderWithoutADatabaseFails()
    {
        CliRunner.AssertFailure(await CliRunner.RunAsync("client", "list", "--data", Path.Combine(_data.Path, "missing")), "input_unreadable");
    }

    [Fact]
    public async Task TheExecutableRunsTheWholeLifeOfAClient()
    {
        CliResult added = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "client", "add", "web", "--type", "confidential", "--auth-method", "client_secret_post", "--redirect-uri", "https://web.example.org/cb", "--data", _data.Path));
        CliResult listed = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "client", "list", "--json", "--data", _data.Path));
        CliResult rotated = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "client", "rotate-secret", "web", "--data", _data.Path));
        CliResult removed = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "client", "remove", "web", "--data", _data.Path));

        Assert.False(string.IsNullOrEmpty(SecretLine(added.Stdout)));
        Assert.Equal("client_secret_post", listed.Json().GetProperty("clients")[0].GetProperty("tokenEndpointAuthMethod").GetString());
        Assert.NotEqual(SecretLine(added.Stdout), SecretLine(rotated.Stdout));
        Assert.Contains("Removed client 'web'.", removed.Stdout, StringComparison.Ordinal);
        Assert.Empty(await _data.Clients.ListAsync(default));
    }

    private static string SecretLine(string stdout)
    {
        string line = stdout.Split('\n').Single(l => l.StartsWith("client secret: ", StringComparison.Ordinal));
        return line["client secret: ".Length..].Trim();
    }
}
