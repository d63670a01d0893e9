using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.BreachedPasswords;
using Tessera.AspNetCore.Endpoints;
using Tessera.Passwords;

namespace Tessera.AspNetCore.Tests.BreachedPasswords;

/// <summary>Registration and password change with the breached-password check on (a local range server).</summary>
public sealed class BreachedPasswordEndpointTests
{
    private const string Breached = "correct horse battery";
    private const string Clean = "a passphrase nobody leaked";

    [Fact]
    public async Task RegistrationRefusesABreachedPasswordAndAcceptsAnother()
    {
        await using RangeServer range = await RangeServer.StartAsync([Breached]);
        await using WebApplication app = await StartAsync(range.BaseUrl, failClosed: false);
        HttpClient client = Client(app);

        HttpResponseMessage refused = await client.PostAsJsonAsync("/auth/register", new { username = "alice", password = Breached });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("validation_failed", problem.RootElement.GetProperty("error").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("password", out _));

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/auth/register", new { username = "alice", password = Clean })).StatusCode);
    }

    [Fact]
    public async Task PasswordChangeRefusesABreachedPassword()
    {
        await using RangeServer range = await RangeServer.StartAsync([Breached]);
        await using WebApplication app = await StartAsync(range.BaseUrl, failClosed: false);
        HttpClient client = Client(app);
        (await client.PostAsJsonAsync("/auth/register", new { username = "alice", password = Clean })).EnsureSuccessStatusCode();
        HttpResponseMessage signIn = await client.PostAsJsonAsync("/auth/session", new { username = "alice", password = Clean });
        signIn.EnsureSuccessStatusCode();
        string cookie = signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0];

        using var change = new HttpRequestMessage(HttpMethod.Post, "/auth/password") { Content = JsonContent.Create(new { currentPassword = Clean, newPassword = Breached }) };
        change.Headers.Add("Cookie", cookie);
        HttpResponseMessage refused = await client.SendAsync(change);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("newPassword", out _));
    }

    [Fact]
    public async Task AnUnreachableServiceFailsOpenByDefault()
    {
        await using WebApplication app = await StartAsync(BreachedPasswordCheckTests.ClosedPort(), failClosed: false);

        HttpResponseMessage response = await Client(app).PostAsJsonAsync("/auth/register", new { username = "alice", password = Breached });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AnUnreachableServiceFailingClosedAnswers503WithRetryAfter()
    {
        await using WebApplication app = await StartAsync(BreachedPasswordCheckTests.ClosedPort(), failClosed: true);

        HttpResponseMessage response = await Client(app).PostAsJsonAsync("/auth/register", new { username = "alice", password = Clean });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("breach_check_unavailable", problem.RootElement.GetProperty("error").GetString());
    }

    private static HttpClient Client(WebApplication app)
    {
        HttpClient client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost");
        return client;
    }

    private static async Task<WebApplication> StartAsync(Uri baseUrl, bool failClosed)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tessera:BreachedPasswords:Enabled"] = "true",
            ["Tessera:BreachedPasswords:BaseUrl"] = baseUrl.AbsoluteUri,
            ["Tessera:BreachedPasswords:Timeout"] = "00:00:10",
            ["Tessera:BreachedPasswords:FailClosed"] = failClosed ? "true" : "false",
        });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddOptions<BreachedPasswordOptions>().Bind(builder.Configuration.GetSection(BreachedPasswordOptions.Section));
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        WebApplication app = builder.Build();
        app.UseTessera();
        app.MapTesseraAuth();
        await app.StartAsync();
        return app;
    }
}
