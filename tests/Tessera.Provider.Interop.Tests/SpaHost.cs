using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// The single-page app's own origin: a minimal Kestrel host on 127.0.0.1 that serves spa/ (the
/// page and its ES module), oauth4webapi's ES module from node_modules, and config.json (issuer,
/// client id, API address). It also answers the Node relying party's redirect URI with a plain
/// page, so the browser has somewhere to land with the code. No Tessera code runs here.
/// </summary>
public sealed class SpaHost : IAsyncDisposable
{
    public const string RelyingPartyCallbackPath = "/rp/callback";

    private readonly WebApplication _app;
    private SpaConfiguration? _configuration;

    private SpaHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/ — the address the host listens on.</summary>
    public Uri Address { get; }

    /// <summary>
    /// The origin the browser opens the app at: <c>localhost</c>, another host (hence another site,
    /// not only another origin) than the provider's 127.0.0.1.
    /// </summary>
    public Uri BrowserAddress => new($"http://localhost:{Address.Port}/");

    public string BrowserOrigin => BrowserAddress.GetLeftPart(UriPartial.Authority);

    public string RelyingPartyRedirectUri => new Uri(Address, RelyingPartyCallbackPath).ToString();

    public static async Task<SpaHost> StartAsync(string spaFolder, string oauth4webapiModule)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = spaFolder, WebRootPath = spaFolder });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        SpaHost? host = null;

        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(spaFolder),
            ContentTypeProvider = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider { Mappings = { [".mjs"] = "text/javascript" } },
        });
        app.MapGet("/vendor/oauth4webapi.js", () => Results.File(oauth4webapiModule, "text/javascript"));
        app.MapGet("/config.json", () => host!._configuration is { } configuration ? Results.Json(configuration) : Results.NotFound());
        app.MapGet(RelyingPartyCallbackPath, () => Results.Content("<!doctype html><title>Callback</title><p>Returned to the relying party.</p>", "text/html"));

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        host = new SpaHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return host;
    }

    /// <summary>What the app reads at start: set once the provider's address is known.</summary>
    public void Configure(SpaConfiguration configuration) => _configuration = configuration;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The app's config.json: everything it knows of the provider and the API.</summary>
public sealed record SpaConfiguration(string Issuer, string ClientId, string Scope, string Api);
