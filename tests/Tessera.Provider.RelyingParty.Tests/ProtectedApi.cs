using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Bearer;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// An API the relying party calls with the access token Tessera issued to it, protected twice over:
/// by Microsoft's stock <c>AddJwtBearer</c> (discovery and JWKS from the authority, nothing else) and
/// by Tessera's own <c>AddTesseraBearer</c> with scope and role policies. Each route answers the
/// caller's <c>sub</c>, so a test sees which user the token named.
/// </summary>
public sealed class ProtectedApi : IAsyncDisposable
{
    public const string ApiScope = "orders";
    public const string ApiRole = "auditor";

    private readonly WebApplication _app;

    /// <summary>What the app logged (warnings and errors), for a failing test's message.</summary>
    public CapturedLog Log { get; }

    private ProtectedApi(WebApplication app, Uri baseAddress, CapturedLog log)
    {
        _app = app;
        Log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ProtectedApi> StartAsync(Uri authority, string audience)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        var log = new CapturedLog();
        builder.Logging.ClearProviders().AddProvider(log);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");

        builder.Services.AddAuthentication()
            .AddJwtBearer(options =>
            {
                options.Authority = authority.ToString();
                options.Audience = audience;
                options.RequireHttpsMetadata = false; // loopback http in this test
                options.MapInboundClaims = false;
            })
            .AddTesseraBearer(options =>
            {
                options.Authority = authority.ToString();
                options.Audience = audience;
                options.RequireHttps = false; // loopback http in this test
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("microsoft", policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .AddPolicy("orders", policy => policy.AddAuthenticationSchemes(TesseraBearerDefaults.AuthenticationScheme).RequireScope(ApiScope))
            .AddPolicy("auditors", policy => policy.AddAuthenticationSchemes(TesseraBearerDefaults.AuthenticationScheme).RequireRole(ApiRole));

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/microsoft", Subject).RequireAuthorization("microsoft");
        app.MapGet("/orders", Subject).RequireAuthorization("orders");
        app.MapGet("/audit", Subject).RequireAuthorization("auditors");
        await app.StartAsync();

        string address = app.Urls.Single();
        return new ProtectedApi(app, new Uri(address + "/"), log);
    }

    private static string Subject(HttpContext http) => http.User.FindFirst("sub")?.Value ?? "";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
