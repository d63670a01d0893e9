using System.Globalization;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary><c>tessera key … --postgres</c> against the database of a running server with <c>Tessera:Store=postgres</c>.</summary>
public sealed class PostgresKeyCliTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AKeyRotatedThroughTheDatabaseIsDecryptedAndUsedByTheServer()
    {
        string connection = await cluster.CreateDatabaseAsync();
        using TestServerFactory server = new(PostgresTestServer.Settings(connection));
        HttpClient client = server.CreateBareClient();
        JsonElement before = await client.RegisterAndSignInForTokensAsync("alice");
        string oldKid = TokenHttp.Part(before.Access(), 0).GetProperty("kid").GetString()!;
        server.Time.Advance(TimeSpan.FromSeconds(2)); // the CLI's --now has whole seconds: past the first key's activation
        string now = server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var listed = await TesseraCli.RunAsync("key", "list", "--postgres", connection, "--now", now);
        var rotated = await TesseraCli.RunAsync("key", "rotate", "--postgres", connection, "--lead", "0s", "--now", now);

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Equal(oldKid, Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("alg").GetString() == "ES256").GetProperty("kid").GetString());
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        string newKid = JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("kid").GetString()!;
        server.Time.Advance(TimeSpan.FromMinutes(1)); // the server reads the ring again
        // The CLI protected the key with the Data Protection keys kept in the database: the server reads it.
        JsonElement after = await client.SignInForTokensAsync("alice");
        Assert.Equal(newKid, TokenHttp.Part(after.Access(), 0).GetProperty("kid").GetString());
        await (await client.GetWithBearerAsync("/auth/me", after.Access())).AssertOkJsonAsync();
    }

    [Theory]
    [InlineData("--data", "somewhere", "--postgres", "Host=127.0.0.1")]
    [InlineData()]
    public async Task TheRingIsNamedByExactlyOneLocation(params string[] location)
    {
        var result = await TesseraCli.RunAsync(["key", "list", .. location]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data DIR or --postgres CONNECTION", result.Stderr, StringComparison.Ordinal);
    }
}
