using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tessera.Testing.Servers;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// For the whole suite, once: the Node project installed (npm ci), the single-page app's host on
/// its own loopback port, the real server process with the test clients registered through
/// configuration, and one headless Chromium (Debian's). Tests take their own browser context and,
/// where they sign in, their own user.
/// </summary>
public sealed class InteropFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; test.sh installs it. Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>An API scope the provider knows (TesseraTokenOptions.Scope, the first-party default).</summary>
    public const string ApiScope = "tessera";

    public const string Password = "interop-password-1";

    private ServerProcess? _server;
    private ServerProcess? _nonceServer;
    private readonly SemaphoreSlim _nonceServerGate = new(1, 1);
    private string[] _serverArguments = [];
    private IPlaywright? _playwright;
    private int _users;

    public Uri Issuer { get; private set; } = null!;

    public SpaHost Spa { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public InteropClient Confidential { get; private set; } = null!;

    public InteropClient Public { get; private set; } = null!;

    public InteropClient Service { get; private set; } = null!;

    public InteropClient SinglePageApp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        await NodeProject.EnsureInstalledAsync();
        Spa = await SpaHost.StartAsync(Path.Combine(AppContext.BaseDirectory, "spa"), NodeProject.ModulePath("oauth4webapi/build/index.js"));

        Confidential = new InteropClient
        {
            ClientId = "js-rp-confidential",
            ClientType = "confidential",
            AuthMethod = "client_secret_basic",
            Secret = InteropClient.NewSecret(),
            RedirectUri = Spa.RelyingPartyRedirectUri,
            Scopes = ["openid", "profile", "offline_access", ApiScope],
        };
        Public = new InteropClient
        {
            ClientId = "js-rp-public",
            ClientType = "public",
            AuthMethod = "none",
            RedirectUri = Spa.RelyingPartyRedirectUri,
            Scopes = ["openid", "profile", "offline_access", ApiScope],
        };
        Service = new InteropClient
        {
            ClientId = "js-service",
            ClientType = "confidential",
            AuthMethod = "client_secret_basic",
            Secret = InteropClient.NewSecret(),
            GrantTypes = ["client_credentials"],
            Scopes = [ApiScope],
        };
        SinglePageApp = new InteropClient
        {
            ClientId = "js-spa",
            ClientType = "public",
            AuthMethod = "none",
            RedirectUri = Spa.BrowserAddress.ToString(),
            Scopes = ["openid", "profile", "offline_access", ApiScope],
            CorsOrigins = [Spa.BrowserOrigin],
        };

        _serverArguments =
        [
            // Every test signs in from 127.0.0.1; the per-client limits would soon refuse them.
            "--Tessera:RateLimits:SignInPerClient:PermitLimit", "10000",
            "--Tessera:RateLimits:SignInPerAccount:PermitLimit", "10000",
            "--Tessera:RateLimits:RegisterPerClient:PermitLimit", "10000",
            .. Confidential.ConfigurationArguments(),
            .. Public.ConfigurationArguments(),
            .. Service.ConfigurationArguments(),
            .. SinglePageApp.ConfigurationArguments(),
        ];
        _server = ServerProcess.Start(_serverArguments);
        Uri address = await _server.ListeningAsync();
        Issuer = address;
        Spa.Configure(new SpaConfiguration(Issuer.ToString().TrimEnd('/'), SinglePageApp.ClientId, string.Join(' ', SinglePageApp.Scopes), address.ToString()));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Timeout = 120_000,
            // Known to be needed here, as root, with no network: no sandbox, no GPU, nothing phoning home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public NodeRelyingParty RelyingParty(InteropClient client) => new(Issuer, client);

    /// <summary>
    /// A second provider with the same clients that requires DPoP nonces (<c>Tessera:Dpop:RequireNonce</c>,
    /// RFC 9449 §8), started on first use (only the nonce tests need it); its issuer.
    /// </summary>
    public async Task<Uri> NonceIssuerAsync()
    {
        await _nonceServerGate.WaitAsync();
        try
        {
            if (_nonceServer is null)
            {
                _nonceServer = ServerProcess.Start([.. _serverArguments, "--Tessera:Dpop:RequireNonce", "true"]);
                NonceIssuer = await _nonceServer.ListeningAsync();
            }

            return NonceIssuer!;
        }
        finally
        {
            _nonceServerGate.Release();
        }
    }

    private Uri? NonceIssuer { get; set; }

    /// <summary>A plain HTTP client for the provider (what no JavaScript library does: raw CORS checks, the user's registration).</summary>
    public HttpClient Http() => new() { BaseAddress = Issuer };

    /// <summary>A fresh browser profile: no cookies, so the provider asks for a sign-in.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        // Generous: two cores shared with other builds.
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>Registers a new user through the server's own API (of <paramref name="issuer"/>, by default the main one); its username.</summary>
    public async Task<TestUser> NewUserAsync(Uri? issuer = null)
    {
        string username = $"interop{Interlocked.Increment(ref _users)}{Guid.NewGuid():N}"[..24];
        using HttpClient http = issuer is null ? Http() : new HttpClient { BaseAddress = issuer };
        using HttpResponseMessage response = await http.PostAsJsonAsync("/auth/register", new { username, password = Password });
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Registering {username} failed: {(int)response.StatusCode} {body}");
        }

        string id = (string)JsonNode.Parse(body)!["id"]!;
        return new TestUser(id, username, Password);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_nonceServer is not null)
        {
            await _nonceServer.DisposeAsync();
        }

        _nonceServerGate.Dispose();

        if (Spa is not null)
        {
            await Spa.DisposeAsync();
        }
    }
}

public sealed record TestUser(string Id, string Username, string Password);

[CollectionDefinition(Name)]
public sealed class InteropCollection : ICollectionFixture<InteropFixture>
{
    public const string Name = "interop";
}
