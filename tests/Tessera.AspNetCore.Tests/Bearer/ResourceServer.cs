using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Bearer;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// An API protected by <c>AddTesseraBearer</c> (in memory, TestServer), talking to the issuer
/// over real HTTP. <c>/ms/…</c> endpoints use Microsoft's <c>AddJwtBearer</c> instead, when added.
/// </summary>
public sealed class ResourceServer : IAsyncDisposable
{
    public const string MicrosoftScheme = "MicrosoftJwtBearer";

    private readonly WebApplication _app;

    private ResourceServer(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the API; with <paramref name="tesseraAuthentication"/>, behind <c>UseTesseraAuthentication()</c> (no handler per request for Tessera's scheme) instead of <c>UseAuthentication()</c>.</summary>
    public static async Task<ResourceServer> StartAsync(Action<TesseraBearerOptions> configure, Action<JwtBearerOptions>? microsoft = null, Action<IServiceCollection>? services = null, bool fastAuthorization = false, bool tesseraAuthentication = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        AuthenticationBuilder authentication = builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(configure);
        if (microsoft is not null)
        {
            authentication.AddJwtBearer(MicrosoftScheme, microsoft);
        }

        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("orders:read", p => p.RequireAuthenticatedUser().RequireScope("orders:read"));
            o.AddPolicy("orders:write", p => p.RequireAuthenticatedUser().RequireScope("orders:write", "orders:admin"));
            o.AddPolicy("admin", p => p.RequireAuthenticatedUser().RequireRole("admin"));
            o.AddPolicy("microsoft", p => p.AddAuthenticationSchemes(MicrosoftScheme).RequireAuthenticatedUser());
        });

        // Last, so a test sees (and may change) every registration above.
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        if (tesseraAuthentication)
        {
            Tessera.AspNetCore.Authentication.Middleware.TesseraAuthenticationApplicationBuilderExtensions.UseTesseraAuthentication(app);
        }
        else
        {
            app.UseAuthentication();
        }

        if (fastAuthorization)
        {
            Tessera.AspNetCore.Authorization.TesseraAuthorizationApplicationBuilderExtensions.UseTesseraAuthorization(app);
        }
        else
        {
            app.UseAuthorization();
        }

        app.MapGet("/me", (ClaimsPrincipal user) => Describe(user)).RequireAuthorization();
        app.MapGet("/claims", (ClaimsPrincipal user) => user.Claims.Select(c => new[] { c.Type, c.Value, c.ValueType })).RequireAuthorization();
        app.MapGet("/public", () => "hello");
        app.MapGet("/orders", () => "orders").RequireAuthorization("orders:read");
        app.MapPost("/orders", () => "created").RequireAuthorization("orders:write");
        app.MapGet("/admin", () => "admin").RequireAuthorization("admin");
        app.MapGet("/audit", () => "audit").RequireAuthorization().WithMetadata(new AuditorsOnly());
        app.MapGet("/ms/me", (ClaimsPrincipal user) => Describe(user)).RequireAuthorization("microsoft");
        await app.StartAsync();
        return new ResourceServer(app);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Identity Describe(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub"),
        user.Identity?.Name,
        [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
        user.IsInRole("admin"),
        [.. user.FindAll("scope").Select(c => c.Value)],
        user.FindFirstValue("sid"),
        user.FindFirstValue("jti"),
        user.FindFirstValue("tenant"),
        [.. user.FindAll("aud").Select(c => c.Value)]);
}

/// <summary>A requirement carried as endpoint metadata (.NET 8's <see cref="IAuthorizationRequirementData"/>): the auditor role.</summary>
public sealed class AuditorsOnly : IAuthorizationRequirementData
{
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement(["auditor"])];
}

public sealed record Identity(string? Subject, string? Name, string[] Roles, bool IsAdmin, string[] Scopes, string? SessionId, string? JwtId, string? Tenant, string[] Audiences);
