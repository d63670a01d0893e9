using Microsoft.Playwright;
using Tessera.Testing.Servers;

namespace Tessera.Console.Tests.Dpop;

/// <summary>
/// A server of its own that requires DPoP nonces (<c>Tessera:Dpop:RequireNonce</c>, RFC 9449 §8):
/// the console's first proof has none, the server answers <c>use_dpop_nonce</c> with a
/// <c>DPoP-Nonce</c>, and the page retries once with it, then keeps sending the latest nonce.
/// </summary>
public sealed class DpopNonceServer : IAsyncLifetime
{
    private ServerProcess? _server;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = ServerProcess.Start(
            "--Tessera:Console:Enabled", "true",
            "--Tessera:Dpop:RequireNonce", "true",
            "--Tessera:RateLimits:SignInPerClient:PermitLimit", "10000",
            "--Tessera:RateLimits:SignInPerAccount:PermitLimit", "10000",
            "--Tessera:RateLimits:RegisterPerClient:PermitLimit", "10000");
        BaseAddress = await _server.ListeningAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[Collection(ConsoleCollection.Name)]
public sealed class DpopNonceTests(ConsoleFixture fixture, DpopNonceServer server) : IClassFixture<DpopNonceServer>
{
    [Fact]
    public async Task ThePageRetriesWithTheServersNonceAndKeepsUsingIt()
    {
        await using IBrowserContext context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "nonce", "dpop");

        // The sign-in: refused once for the nonce, then accepted with it.
        IReadOnlyList<LogRow> signIns = await console.LogRowsAsync("POST /auth/token");
        Assert.Equal([200, 400], signIns.Select(r => r.Status));

        // API calls and a refresh carry the nonce the server gave: each answered at the first try
        // unless the nonce rotated in between, in which case one retry.
        await console.AddToCartAsync("Bronze tessera");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh now" }).ClickAsync();
        await Assertions.Expect(console.Page.Locator("#log-table tbody tr[data-status='200']", new() { Has = console.Page.Locator(".tag", new() { HasTextString = "manual" }) })).ToHaveCountAsync(1);
        Assert.Equal(200, (await console.LogRowsAsync("POST /shop/cart/items"))[0].Status);
        Assert.True((await console.LogRowsAsync("POST /shop/cart/items")).Count <= 2);
        Assert.True((await console.LogRowsAsync("GET /shop/cart")).Count(r => r.Status == 200) >= 1);

        // After a reload the page has no nonce: the API's 401 challenge says use_dpop_nonce (RFC 9449 §9)
        // with a DPoP-Nonce, and the page's one retry with it gets through.
        string username = (await console.Page.Locator("#who").InnerTextAsync()).Trim();
        await console.ReloadAsync();
        await console.ExpectSignedInAsync(username, "dpop");
        Assert.Equal([200, 401], (await console.LogRowsAsync("GET /auth/me")).Select(r => r.Status).Take(2));
    }
}
