using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using System.Text.Json;
using Tessera.AspNetCore.Authentication;
using Tessera.Testing.Servers;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// One real Tessera process, two stock relying parties registered with it as confidential clients
/// (so single sign-on and per-client consent can be seen), one protected API and one headless
/// Chromium for the whole class: all slow to start on a loaded machine. Every test takes a fresh
/// browser context and registers its own user, so nothing leaks between tests.
/// </summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; test.sh installs it. Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string Password = "correct horse battery";

    /// <summary>Access tokens' audience (Tessera:Tokens:Audience, the default).</summary>
    public const string Audience = "tessera";

    private ServerProcess? _server;
    private IPlaywright? _playwright;

    public Uri Tessera { get; private set; } = null!;

    /// <summary>The shop asks for the API scope <see cref="ProtectedApi.ApiScope"/> too.</summary>
    public RegisteredRelyingParty Shop { get; private set; } = null!;

    /// <summary>A second client of the same provider: single sign-on, its own consent.</summary>
    public RegisteredRelyingParty Wiki { get; private set; } = null!;

    public ProtectedApi Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Talks to Tessera's JSON API directly (registration, sessions, the token endpoint).</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        // The relying parties' ports are known up front: their redirect URIs are registered with Tessera at its start.
        var shop = new RelyingPartyClient("shop", "The Shop", LoopbackPort.Free(), ["openid", "profile", "offline_access", ProtectedApi.ApiScope]);
        var wiki = new RelyingPartyClient("wiki", "The Wiki", LoopbackPort.Free(), ["openid", "profile", "offline_access"]);

        _server = ServerProcess.Start(
            new Dictionary<string, string>([shop.SecretEnvironmentVariable(), wiki.SecretEnvironmentVariable()]),
        [
            // Every test signs in from 127.0.0.1; the per-client limits would soon refuse them.
            "--Tessera:RateLimits:SignInPerClient:PermitLimit", "10000",
            "--Tessera:RateLimits:SignInPerAccount:PermitLimit", "10000",
            "--Tessera:RateLimits:RegisterPerClient:PermitLimit", "10000",
            .. shop.ConfigurationArguments(),
            .. wiki.ConfigurationArguments(),
        ]);
        Tessera = await _server.ListeningAsync();
        Http = new HttpClient { BaseAddress = Tessera };

        Shop = new RegisteredRelyingParty(shop, await RelyingPartyApp.StartAsync(Tessera, shop.Port, shop.ClientId, shop.Secret, "shop", [ProtectedApi.ApiScope]));
        Wiki = new RegisteredRelyingParty(wiki, await RelyingPartyApp.StartAsync(Tessera, wiki.Port, wiki.ClientId, wiki.Secret, "wiki", []));
        Api = await ProtectedApi.StartAsync(Tessera, Audience);

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

    /// <summary>What the server printed, for a failing test's message.</summary>
    public string ServerOutput => _server is null ? "" : $"{_server.Output}\n{_server.Errors}";

    /// <summary>A fresh browser profile: no cookies at Tessera or at either relying party.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        // Generous: two cores shared with other builds.
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>Registers a new user through Tessera's JSON API (POST /auth/register).</summary>
    public async Task<RegisteredUser> RegisterUserAsync(string prefix)
    {
        string username = $"{prefix}-{Guid.NewGuid():N}"[..24];
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/auth/register", new { username, password = Password });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"register: {(int)response.StatusCode} {body}");
        return new RegisteredUser(username, JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// Gives <paramref name="user"/> <paramref name="roles"/> as an operator does, with the CLI on the
    /// running server's data folder (<c>tessera user roles NAME --add ROLE --data DIR</c>); tokens
    /// issued afterwards carry them.
    /// </summary>
    public async Task AssignRolesAsync(RegisteredUser user, params string[] roles)
    {
        string cli = BuiltCli.DllPath;
        string[] arguments = [cli, "user", "roles", user.Username, .. roles.SelectMany(role => new[] { "--add", role }), "--data", _server!.DataDirectory];
        await ExternalCommand.RunAsync(ExternalCommand.For("dotnet", arguments), TimeSpan.FromSeconds(60));
    }

    /// <summary>Tessera's session cookie as the browser holds it (the SSO session), or null.</summary>
    public async Task<string?> TesseraCookieAsync(IBrowserContext context)
    {
        IReadOnlyList<BrowserContextCookiesResult> cookies = await context.CookiesAsync([Tessera.ToString()]);
        return cookies.FirstOrDefault(c => c.Name == SessionCookieDefaults.CookieName)?.Value;
    }

    /// <summary>GET /auth/sessions with <paramref name="cookie"/> as Tessera's session cookie.</summary>
    public async Task<HttpResponseMessage> ListSessionsAsync(string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        request.Headers.Add("Cookie", $"{SessionCookieDefaults.CookieName}={cookie}");
        return await Http.SendAsync(request);
    }

    /// <summary>GET /oauth2/userinfo with <paramref name="accessToken"/> as the bearer token (OIDC Core §5.3).</summary>
    public async Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await Http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (IAsyncDisposable? app in new IAsyncDisposable?[] { Api, Shop?.App, Wiki?.App })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A user registered through Tessera's API, with the password <see cref="ProviderFixture.Password"/>.</summary>
public sealed record RegisteredUser(string Username, string Id);

/// <summary>A running relying party and what Tessera knows of it.</summary>
public sealed record RegisteredRelyingParty(RelyingPartyClient Client, RelyingPartyApp App)
{
    public Uri Address => App.BaseAddress;
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "provider";
}
