using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.RateLimiting;
using Tessera.Modes.Tests.Stores;
using Tessera.Passwords;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Modes.Tests.Hosting;

/// <summary>
/// An app that embeds the library, the way the README shows: <c>AddTessera()</c>, a store set,
/// <c>UseTessera()</c>, the auth and token endpoints, and one endpoint of its own (<c>GET /me</c>,
/// answering the caller's <c>sub</c>) that requires authorization. Runs on TestServer with a fake
/// clock; a request names its peer address in <see cref="ClientIpHeader"/>.
/// </summary>
public sealed class ModesHost : IAsyncDisposable
{
    /// <summary>The in-process server has no peer address; a request says which one it comes from.</summary>
    public const string ClientIpHeader = "X-Test-Client-IP";

    /// <summary>The app's own protected endpoint.</summary>
    public const string ProtectedPath = "/me";

    public const string Password = "correct horse battery";

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly IAsyncDisposable? _storeResources;
    private int _users;

    private ModesHost(WebApplication app, FakeTimeProvider time, IAsyncDisposable? storeResources)
    {
        _app = app;
        Time = time;
        _storeResources = storeResources;
        _client = app.GetTestClient();
        // https, so the Secure cookies are what a browser would keep.
        _client.BaseAddress = new Uri("https://localhost");
    }

    public FakeTimeProvider Time { get; }

    public static async Task<ModesHost> StartAsync(StoreSet stores, HostSettings settings)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings.Configuration());
        IConfiguration configuration = builder.Configuration;
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddTessera();
        builder.Services.AddOptions<TesseraSessionOptions>().Bind(configuration.GetSection("Tessera:Sessions"));
        builder.Services.AddOptions<TesseraTokenOptions>().Bind(configuration.GetSection("Tessera:Tokens"));
        builder.Services.AddOptions<Argon2idParameters>().Bind(configuration.GetSection("Tessera:Passwords"));
        builder.Services.AddOptions<TesseraRateLimitOptions>().Bind(configuration.GetSection("Tessera:RateLimits"));
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        IAsyncDisposable? storeResources = await stores.AddStoresAsync(builder.Services, time);

        WebApplication app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[ClientIpHeader].ToString());
            return next(context);
        });
        app.UseTessera();
        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapGet(ProtectedPath, (ClaimsPrincipal user) => TypedResults.Ok(new { sub = user.FindFirst("sub")?.Value })).RequireAuthorization();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ModesHost(app, time, storeResources);
    }

    /// <summary>Sends <paramref name="request"/> as <paramref name="client"/> (its address and agent).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ClientIdentity client)
    {
        request.Headers.Add(ClientIpHeader, client.Ip);
        request.Headers.UserAgent.Clear();
        request.Headers.UserAgent.ParseAdd(client.UserAgent);
        return _client.SendAsync(request);
    }

    /// <summary>Registers a new user, with a name no other test of this host used.</summary>
    public async Task<Account> RegisterAsync()
    {
        string username = $"user{Interlocked.Increment(ref _users):D5}";
        HttpResponseMessage response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/register") { Content = JsonContent.Create(new { username, password = Password }) }, ClientIdentity.Laptop);
        JsonElement user = await response.AssertJsonAsync(HttpStatusCode.Created);
        return new Account(username, user.GetProperty("id").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        if (_storeResources is not null)
        {
            await _storeResources.DisposeAsync();
        }
    }
}
