using System.Globalization;
using Microsoft.Playwright;
using Tessera.Testing.Servers;

namespace Tessera.Console.Tests.Passkeys;

/// <summary>
/// The real server set up for passkeys, and one headless Chromium. WebAuthn needs a domain (an IP
/// address is never a relying party id, WebAuthn L3 §5.1.2) in a secure context, so the console is
/// opened at <c>http://localhost:PORT</c> (loopback: a secure context without TLS) with
/// <c>Tessera:Passkeys:RelyingPartyId</c> <c>localhost</c> and that one origin allowed. The server
/// also listens on a second port: the same relying party to the browser, but an origin the server
/// does not list (<see cref="UnlistedOrigin"/>), and <see cref="IpOrigin"/> is a page outside the
/// relying party altogether.
/// </summary>
public sealed class PasskeyFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
    private ServerProcess? _server;
    private IPlaywright? _playwright;

    /// <summary>A public OAuth client whose redirect URI is <c>BaseAddress/callback</c>, scope <c>openid</c>, no consent.</summary>
    public const string ClientId = "passkey-app";

    /// <summary>The console where passkeys work: <c>http://localhost:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The same server on its second port, <c>http://localhost:PORT2/</c>: not in <c>Tessera:Passkeys:Origins</c>.</summary>
    public Uri UnlistedOrigin { get; private set; } = null!;

    /// <summary>The same server at <c>http://127.0.0.1:PORT/</c>: its domain is not within the relying party id <c>localhost</c>.</summary>
    public Uri IpOrigin { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ConsoleFixture.ChromiumPath))
        {
            throw new InvalidOperationException($"{ConsoleFixture.ChromiumPath} is missing: run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        int port = LoopbackPort.Free(), otherPort = LoopbackPort.Free();
        string Address(string host, int p) => string.Create(CultureInfo.InvariantCulture, $"http://{host}:{p}");
        Directory.CreateDirectory(_data);
        _server = ServerProcess.Launch(_data,
        [
            "--urls", $"{Address("127.0.0.1", port)};{Address("127.0.0.1", otherPort)}",
            "--Tessera:Tokens:Issuer", Address("127.0.0.1", port),
            "--Tessera:Passwords:MemoryKiB", "1024",
            "--Tessera:Console:Enabled", "true",
            // Outside Development only the issuer's host is answered, unless listed here.
            "--Tessera:AllowedHosts:0", "localhost",
            "--Tessera:Passkeys:RelyingPartyId", "localhost",
            "--Tessera:Passkeys:Origins:0", Address("localhost", port),
            "--Tessera:RateLimits:SignInPerClient:PermitLimit", "10000",
            "--Tessera:RateLimits:SignInPerAccount:PermitLimit", "10000",
            "--Tessera:RateLimits:RegisterPerClient:PermitLimit", "10000",
            // An application that signs its users in through the provider's pages (/oauth2/signin).
            "--Tessera:Clients:" + ClientId + ":Type", "public",
            "--Tessera:Clients:" + ClientId + ":RedirectUris:0", Address("localhost", port) + "/callback",
            "--Tessera:Clients:" + ClientId + ":Scopes:0", "openid",
            "--Tessera:Clients:" + ClientId + ":RequireConsent", "false",
        ]);
        await WaitUntilListeningAsync(new Uri(Address("127.0.0.1", port)), new Uri(Address("127.0.0.1", otherPort)));
        BaseAddress = new Uri(Address("localhost", port) + "/");
        UnlistedOrigin = new Uri(Address("localhost", otherPort) + "/");
        IpOrigin = new Uri(Address("127.0.0.1", port) + "/");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ConsoleFixture.ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Timeout = 120_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    // ServerProcess.ListeningAsync reads the start-up line, which names one address only; this
    // server has two, so each is asked until it answers.
    private async Task WaitUntilListeningAsync(params Uri[] addresses)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        foreach (Uri address in addresses)
        {
            while (true)
            {
                if (_server!.HasExited || DateTimeOffset.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"The server did not start on {address}. Output:\n{ServerOutput}");
                }

                try
                {
                    using HttpResponseMessage answer = await http.GetAsync(new Uri(address, "/console/settings"));
                    if (answer.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Too slow to answer yet.
                }

                await Task.Delay(200);
            }
        }
    }

    /// <summary>What the server printed, for a failure message.</summary>
    public string ServerOutput => _server is null ? string.Empty : _server.Output + _server.Errors;

    /// <summary>A fresh browser profile whose relative URLs go to <paramref name="baseAddress"/> (<see cref="BaseAddress"/> by default).</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri? baseAddress = null)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? BaseAddress).ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
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

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PasskeyCollection : ICollectionFixture<PasskeyFixture>
{
    public const string Name = "passkeys";
}
