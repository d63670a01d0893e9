using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests;

/// <summary>
/// The real server in process: the real Program, SQLite in a fresh data folder, a fake clock,
/// cheap Argon2id parameters (the defaults are tested separately) and generous rate limits unless
/// a test asks otherwise.
/// </summary>
public sealed class TestServerFactory : WebApplicationFactory<Program>
{
    public const string ClientIpHeader = "X-Test-Client-IP";
    public const string DefaultClientIp = "192.0.2.1";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDirectory;

    /// <param name="environment">The host's environment: Production unless a test is about Development.</param>
    public TestServerFactory(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataDirectory = null, FakeTimeProvider? time = null, string environment = "Production")
    {
        EnvironmentName = environment;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        _services = services;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Tessera:DataDir"] = DataDirectory,
            ["Tessera:Passwords:MemoryKiB"] = "1024",
            ["Tessera:Passwords:Iterations"] = "1",
            ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "1000",
            ["Tessera:RateLimits:SignInPerAccount:PermitLimit"] = "1000",
            ["Tessera:RateLimits:RegisterPerClient:PermitLimit"] = "1000",
            // Production requires an issuer; the test clients speak to https://localhost, which
            // stays an allowed host whatever issuer a test sets.
            ["Tessera:Tokens:Issuer"] = "https://localhost",
            ["Tessera:AllowedHosts:0"] = "localhost",
        };
        // The host runs as Production, which needs a key-encryption key for the Data Protection keys.
        foreach ((string key, string? value) in TestKeyEncryption.Default.Settings)
        {
            _settings[key] = value;
        }

        // A null value means "leave this to the server's own default".
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The host environment the server runs in: Production unless a test asks for another.</summary>
    public string EnvironmentName { get; init; }

    /// <summary>A client that keeps cookies, speaks to https://localhost (so Secure cookies flow) and names its agent.</summary>
    public HttpClient CreateBrowser(string? ip = null, string userAgent = "TesseraTests/1.0")
    {
        HttpClient client = CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add(ClientIpHeader, ip ?? DefaultClientIp);
        return client;
    }

    /// <summary>A client without a cookie jar, for tests that handle cookies by hand.</summary>
    public HttpClient CreateBareClient(string? ip = null)
    {
        HttpClient client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TesseraTests/1.0");
        client.DefaultRequestHeaders.Add(ClientIpHeader, ip ?? DefaultClientIp);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddressStartupFilter>();
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Temporary folder; best effort.
            }
        }
    }

    /// <summary>The in-process server has no peer address; tests say which address a request comes from.</summary>
    private sealed class ClientAddressStartupFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                string? ip = context.Request.Headers[ClientIpHeader];
                context.Connection.RemoteIpAddress = IPAddress.Parse(string.IsNullOrEmpty(ip) ? DefaultClientIp : ip);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
