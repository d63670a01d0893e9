using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.OAuth;
using Tessera.Server.Tests.Postgres;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Admin;

/// <summary>
/// The server's admin API, the <c>tessera client|user</c> commands on its data, and Tessera:Clients,
/// together: an admin made with the CLI manages clients over HTTP; a client added with the CLI or
/// configured is the one the server sees.
/// </summary>
public sealed class AdminServerTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AnAdminMadeWithTheCliManagesClientsTheCliAddedThroughTheAdminApi()
    {
        using var server = new TestServerFactory();
        HttpClient client = server.CreateBareClient();
        string token = (await client.RegisterAndSignInForTokensAsync("alice")).Access();
        await (await client.GetWithBearerAsync("/admin/clients", token)).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);

        await AssertCliAsync("user", "roles", "alice", "--add", "admin", "--data", server.DataDirectory);
        await AssertCliAsync("client", "add", "web", "--type", "confidential", "--redirect-uri", "https://web.example.org/cb", "--data", server.DataDirectory);

        JsonElement clients = await (await client.GetWithBearerAsync("/admin/clients", token)).AssertOkJsonAsync();
        Assert.Equal("web", Assert.Single(clients.EnumerateArray()).GetProperty("clientId").GetString());
        JsonElement rotated = await (await client.SendWithBearerAsync(HttpMethod.Post, "/admin/clients/web/secret", token)).AssertOkJsonAsync();
        OAuthClient stored = (await server.Services.GetRequiredService<IClientStore>().FindAsync("web", default))!;
        Assert.True(ClientSecrets.Matches(rotated.GetProperty("clientSecret").GetString(), stored.SecretHashes));
    }

    [Fact]
    public async Task ConfiguredClientsAreRegisteredWhenTheServerStarts()
    {
        string secret = ClientSecrets.Generate().Secret;
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:Clients:shop:Type"] = "confidential",
            ["Tessera:Clients:shop:Secret"] = secret,
            ["Tessera:Clients:shop:RedirectUris:0"] = "https://shop.example.org/signin-oidc",
        });
        server.CreateBareClient().Dispose(); // starts the host

        (int exitCode, string stdout, string stderr) = await TesseraCli.RunAsync("client", "list", "--json", "--data", server.DataDirectory);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("shop", Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("clients").EnumerateArray()).GetProperty("clientId").GetString());
        Assert.True(ClientSecrets.Matches(secret, (await server.Services.GetRequiredService<IClientStore>().FindAsync("shop", default))!.SecretHashes));
    }

    [Fact]
    public async Task TheCliWorksOnAPostgresServerToo()
    {
        string connection = await cluster.CreateDatabaseAsync();
        using TestServerFactory server = new(PostgresTestServer.Settings(connection));
        HttpClient client = server.CreateBareClient();
        string token = (await client.RegisterAndSignInForTokensAsync("alice")).Access();

        await AssertCliAsync("user", "roles", "alice", "--add", "admin", "--postgres", connection);
        await AssertCliAsync("client", "add", "spa", "--type", "public", "--redirect-uri", "http://127.0.0.1:5173/cb", "--postgres", connection);
        (int _, string listed, string _) = await AssertCliAsync("client", "list", "--postgres", connection);

        Assert.Contains("spa", listed, StringComparison.Ordinal);
        JsonElement clients = await (await client.GetWithBearerAsync("/admin/clients", token)).AssertOkJsonAsync();
        Assert.Equal("spa", Assert.Single(clients.EnumerateArray()).GetProperty("clientId").GetString());
        await AssertCliAsync("client", "remove", "spa", "--postgres", connection);
        Assert.Empty(await server.Services.GetRequiredService<IClientStore>().ListAsync(default));
    }

    private static async Task<(int, string, string)> AssertCliAsync(params string[] args)
    {
        (int exitCode, string stdout, string stderr) = await TesseraCli.RunAsync(args);
        Assert.True(exitCode == 0, $"tessera {string.Join(' ', args)}: {stderr}");
        return (exitCode, stdout, stderr);
    }
}
