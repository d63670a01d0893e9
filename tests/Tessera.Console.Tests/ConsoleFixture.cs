using Microsoft.Playwright;
using Tessera.Sqlite;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.Console.Tests;

/// <summary>
/// One real server process and one headless Chromium for the whole suite (both are slow to start
/// on a loaded machine); every test gets its own browser context, so nothing (cookies, storage)
/// leaks from one test to the next, and registers its own user.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; test.sh installs it. Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    // Short token lifetimes keep the automatic refresh and the replay within a test's patience.
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan ReuseGraceWindow = TimeSpan.FromSeconds(1);

    private ServerProcess? _server;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        _server = ServerProcess.Start(
            // The program runs as Production, where the console and its teaching endpoints are off unless enabled.
            "--Tessera:Console:Enabled", "true",
            "--Tessera:Tokens:AccessTokenLifetime", AccessTokenLifetime.ToString("c"),
            "--Tessera:Tokens:ReuseGraceWindow", ReuseGraceWindow.ToString("c"),
            // Every test signs in from 127.0.0.1; the per-client limits would soon refuse them.
            "--Tessera:RateLimits:SignInPerClient:PermitLimit", "10000",
            "--Tessera:RateLimits:SignInPerAccount:PermitLimit", "10000",
            "--Tessera:RateLimits:RegisterPerClient:PermitLimit", "10000");
        BaseAddress = await _server.ListeningAsync();

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

    /// <summary>
    /// Gives a user the <c>admin</c> role in the running server's own database, as
    /// <c>tessera user roles NAME --add admin --data FOLDER</c> does: the server reads roles from the
    /// store at every <c>/auth/me</c> and admin call, so the page sees it at its next load.
    /// </summary>
    public async Task GrantAdminAsync(string userId)
    {
        var users = new SqliteUserStore(new SqliteDatabase(new TesseraDataFolder(_server!.DataDirectory).DatabasePath));
        UserRecord user = await users.FindByIdAsync(userId, CancellationToken.None) ?? throw new InvalidOperationException($"No user {userId} in the server's database.");
        if (!await users.SetRolesAsync(userId, [.. user.Roles, TesseraRoles.Admin], CancellationToken.None))
        {
            throw new InvalidOperationException($"The roles of {userId} were not saved.");
        }
    }

    /// <summary>A fresh browser profile (cookies, storage) at a phone-friendly desktop size.</summary>
    public async Task<IBrowserContext> NewContextAsync(string? userAgent = null)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
            UserAgent = userAgent,
        });
        // Generous: two cores shared with other builds.
        context.SetDefaultTimeout(30_000);
        return context;
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
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
