using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Authentication.Middleware;

namespace Tessera.AspNetCore.Tests.Dpop;

/// <summary>
/// An API protected by <c>AddTesseraBearer</c> (TestServer, so requests arrive at
/// <c>http://localhost</c>) that answers the claims it saw; <c>/dpop-only</c> has a
/// <c>RequireDpop()</c> policy. Optionally behind a proxy: forwarded headers and a path base.
/// </summary>
public sealed class DpopResourceServer : IAsyncDisposable
{
    public const string Origin = "http://localhost";

    private readonly WebApplication _app;

    private DpopResourceServer(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the API; with <paramref name="tesseraAuthentication"/>, behind <c>UseTesseraAuthentication()</c> (the path without a handler per request) instead of the framework's <c>UseAuthentication()</c>.</summary>
    public static async Task<DpopResourceServer> StartAsync(Action<TesseraBearerOptions> configure, bool behindProxy = false, string? pathBase = null, bool tesseraAuthentication = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(configure);
        builder.Services.AddAuthorization(o => o.AddPolicy("dpop", p => p.RequireAuthenticatedUser().RequireDpop()));
        if (behindProxy)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
                o.AllowedHosts = ["api.example"];
            });
        }

        WebApplication app = builder.Build();
        if (behindProxy)
        {
            app.UseForwardedHeaders();
        }

        if (pathBase is not null)
        {
            app.UsePathBase(pathBase);
        }

        if (tesseraAuthentication)
        {
            app.UseTesseraAuthentication();
        }
        else
        {
            app.UseAuthentication();
        }

        app.UseAuthorization();
        app.MapGet("/me", Describe).RequireAuthorization();
        app.MapPost("/orders", Describe).RequireAuthorization();
        app.MapGet("/dpop-only", Describe).RequireAuthorization("dpop");
        await app.StartAsync();
        return new DpopResourceServer(app);
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <c>Authorization: {scheme} {token}</c> and each of <paramref name="proofs"/> as a <c>DPoP</c> header.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? scheme, string? token, params string[] proofs)
    {
        var request = new HttpRequestMessage(method, path);
        if (scheme is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        foreach (string proof in proofs)
        {
            request.Headers.Add("DPoP", proof);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Dictionary<string, string> Describe(HttpContext http)
    {
        ClaimsPrincipal user = http.User;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sub"] = user.FindFirstValue("sub") ?? "",
            ["dpop_jkt"] = user.FindFirstValue(TesseraBearerDefaults.DpopKeyThumbprintClaimType) ?? "",
            ["feature_jkt"] = http.Features.Get<DpopProofFeature>()?.Proof.KeyThumbprint ?? "",
            ["path_base"] = http.Request.PathBase.Value ?? "",
        };
        return seen;
    }
}
