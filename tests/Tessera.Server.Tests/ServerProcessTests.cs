using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests;

/// <summary>The program as a person runs it: its own process, real Kestrel, real sockets on loopback.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task OneCommandStartsTheServerWhichSaysWhereItListensAndWhereItsDataIs()
    {
        await using ServerProcess server = ServerProcess.Start();

        Uri address = await server.ListeningAsync();

        string[] startLines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(startLines);
        Assert.Contains($"data in {server.DataDirectory}", startLines[0], StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = address };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "tessera.db")));
    }

    [Fact]
    public async Task RegisterSignInShopAndSignOutOverRealSockets()
    {
        await using ServerProcess server = ServerProcess.Start();
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/auth/register", new { username = "alice", password = Http.Password })).StatusCode);
        HttpResponseMessage signIn = await client.PostAsJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(signIn.SetCookie()!);

        HttpRequestMessage add = Http.WithCookie(HttpMethod.Post, "/shop/cart/items", cookie);
        add.Content = JsonContent.Create(new { productId = "tessera-bone", quantity = 2 });
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(add)).StatusCode);
        JsonElement order = await (await client.SendAsync(Http.WithCookie(HttpMethod.Post, "/shop/orders", cookie))).AssertOkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1800, order.GetProperty("totalCents").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Http.WithCookie(HttpMethod.Delete, "/auth/session", cookie))).StatusCode);

        await (await client.SendAsync(Http.WithCookie(HttpMethod.Get, "/shop/orders", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task EnvironmentVariablesConfigureTheServer()
    {
        await using ServerProcess server = ServerProcess.Start(new Dictionary<string, string> { ["Tessera__Cookie__Name"] = "__Host-from-env" });
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };
        await client.PostAsJsonAsync("/auth/register", new { username = "alice", password = Http.Password });

        HttpResponseMessage signIn = await client.PostAsJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        Assert.NotNull(signIn.SetCookie("__Host-from-env"));
    }

    [Fact]
    public async Task OversizedChunkedBodyIsRefusedByTheRealServer()
    {
        await using ServerProcess server = ServerProcess.Start();
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"username\":\"" + new string('a', 200_000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/register") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        HttpResponseMessage response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task BadSettingStopsTheProgramWithAClearMessage()
    {
        await using ServerProcess server = ServerProcess.Start("--Tessera:Sessions:IdleTimeout", "-00:01:00");

        int exitCode = await server.ExitCodeAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("Tessera cannot start, the configuration is invalid: Tessera:Sessions is invalid", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", server.Errors + server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFolderWithSomethingElseThanADatabaseStopsTheProgramWithAClearMessage()
    {
        await using ServerProcess server = ServerProcess.Start(null, data => File.WriteAllText(Path.Combine(data, "tessera.db"), "not a database"));

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Contains($"Tessera cannot start: the database {server.DataDirectory}/tessera.db cannot be created or opened: SQLite Error 26: 'file is not a database'.", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", server.Errors + server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableSettingNamesTheKey()
    {
        await using ServerProcess server = ServerProcess.Start("--Tessera:Sessions:BindTo", "everywhere");

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Contains("Tessera cannot start: Failed to convert configuration value 'everywhere' at 'Tessera:Sessions:BindTo'", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", server.Errors + server.Output, StringComparison.Ordinal);
    }
}
