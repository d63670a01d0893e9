using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Endpoints;
using Tessera.Passwords;

namespace Tessera.AspNetCore.Tests.Authentication;

/// <summary>
/// A minimal app hosting Tessera with in-memory stores (TestServer, fake clock): the account and
/// token endpoints, and <c>/me</c>, protected by the default scheme, answering the caller's claims.
/// </summary>
public sealed class IssuedBearerHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private readonly WebApplication _app;

    private IssuedBearerHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("https://localhost");
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<IssuedBearerHost> StartAsync(Action<IServiceCollection>? configure = null, Action<WebApplication>? pipeline = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        configure?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        if (pipeline is null)
        {
            app.UseTessera();
        }
        else
        {
            pipeline(app);
        }

        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapGet("/me", (ClaimsPrincipal user) => user.Claims.Select(c => new[] { c.Type, c.Value })).RequireAuthorization();
        await app.StartAsync();
        return new IssuedBearerHost(app, time);
    }

    /// <summary>Registers <paramref name="username"/> and signs in for tokens; the JSON token response.</summary>
    public async Task<JsonElement> SignInForTokensAsync(string username)
    {
        (await Client.PostAsJsonAsync("/auth/register", new { username, password = Password })).EnsureSuccessStatusCode();
        HttpResponseMessage response = await Client.PostAsJsonAsync("/auth/token", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public Task<HttpResponseMessage> GetMeAsync(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetMeWithTokenCookieAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("Cookie", $"{IssuedBearerDefaults.AccessTokenCookieName}={token}");
        return Client.SendAsync(request);
    }

    public static string Challenge(HttpResponseMessage response) => string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<string[][]> ClaimsAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<string[][]>())!;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
