using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Endpoints;
using Tessera.Passwords;

namespace Tessera.Server.Tests;

/// <summary>
/// Tessera.AspNetCore as a library in someone else's app: in-memory stores, the auth endpoints
/// under a prefix of the app's choosing, one protected endpoint of its own.
/// </summary>
public sealed class InMemoryLibraryHostTests : IAsyncLifetime
{
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.Configure<Argon2idParameters>(_ => { });
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        _app = builder.Build();
        _app.UseTessera();
        _app.MapTesseraAuth("/account");
        _app.MapTesseraTokens();
        _app.MapGet("/private", () => "only for signed-in users").RequireAuthorization();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private HttpClient Client()
    {
        HttpClient client = _app!.GetTestClient();
        client.BaseAddress = new Uri("https://localhost");
        return client;
    }

    [Fact]
    public async Task AppProtectsItsOwnEndpointWithTesseraSessions()
    {
        HttpClient client = Client();
        await (await client.GetAsync("/private")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/account/register", new { username = "alice", password = Http.Password })).StatusCode);
        HttpResponseMessage signIn = await client.PostJsonAsync("/account/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(signIn.SetCookie()!);

        HttpResponseMessage response = await client.SendAsync(Http.WithCookie(HttpMethod.Get, "/private", cookie));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("only for signed-in users", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppProtectsItsOwnEndpointWithTesseraAccessTokensFromInMemoryStores()
    {
        HttpClient client = Client();
        await client.PostJsonAsync("/account/register", new { username = "alice", password = Http.Password });
        JsonElement pair = await (await client.PostJsonAsync("/account/token", new { username = "alice", password = Http.Password })).AssertOkJsonAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/private");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.GetProperty("access_token").GetString());

        HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheRefreshCookieIsHostOnlyWhateverPrefixTheAppMappedTheEndpointsUnder()
    {
        HttpClient client = Client();
        await client.PostJsonAsync("/account/register", new { username = "alice", password = Http.Password });

        HttpResponseMessage response = await client.PostJsonAsync("/account/token?delivery=cookie", new { username = "alice", password = Http.Password });

        // __Host- requires Path=/ (RFC 6265bis §4.1.3.2): no sibling subdomain can toss in its own.
        Assert.Contains("path=/;", response.SetCookie("__Host-tessera-rt")!, StringComparison.Ordinal);
    }
}
