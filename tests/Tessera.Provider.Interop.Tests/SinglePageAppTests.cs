using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// The notes' "tokens across domains", for real: a single-page app on http://localhost:PORT (its
/// own host, another site than the provider's 127.0.0.1) signs in with oauth4webapi in Chromium,
/// then fills the cart and places an order through the shop API with its bearer token. CORS must
/// let that origin (registered for the app's client) in, and no other.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class SinglePageAppTests(InteropFixture fixture)
{
    private const string UnregisteredOrigin = "https://unregistered.example";

    [Fact]
    public async Task TheAppSignsInAndOrdersThroughTheShopApiWithItsBearerToken()
    {
        TestUser user = await fixture.NewUserAsync();
        await using IBrowserContext context = await fixture.NewContextAsync();
        IPage page = await context.NewPageAsync();
        var apiCalls = new ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(new Uri(fixture.Issuer, "/shop/").ToString(), StringComparison.Ordinal))
            {
                apiCalls.Enqueue(request);
            }
        };

        await page.GotoAsync(fixture.Spa.BrowserAddress.ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("signed out");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in with Tessera" }).ClickAsync();
        await ProviderPages.SignInAndConsentAsync(page, fixture.Spa.BrowserAddress.ToString(), user);

        await ExpectStatusAsync(page, "signed in");
        await Assertions.Expect(page.Locator("#subject")).ToHaveTextAsync(user.Id);
        // Userinfo, read cross-origin by the library.
        await Assertions.Expect(page.Locator("#username")).ToHaveTextAsync(user.Username);
        ILocator addButtons = page.Locator("#products button");
        await Assertions.Expect(addButtons.First).ToBeVisibleAsync();
        await addButtons.Nth(0).ClickAsync();
        await Assertions.Expect(page.Locator("#cart-count")).ToHaveTextAsync("1");
        await addButtons.Nth(1).ClickAsync();
        await Assertions.Expect(page.Locator("#cart-count")).ToHaveTextAsync("2");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Place order" }).ClickAsync();
        await ExpectStatusAsync(page, "signed in");
        await Assertions.Expect(page.Locator("#order-id")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#cart-count")).ToHaveTextAsync("0");
        // Sign-out revokes the access token from the browser (RFC 7009, cross-origin); the API refuses it at once.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await ExpectStatusAsync(page, "signed out; the old token now gets 401");

        // Every state-changing call went cross-origin with the bearer header and no cookie.
        IRequest[] posts = [.. apiCalls.Where(r => r.Method == "POST")];
        Assert.Equal(3, posts.Length);
        foreach (IRequest post in posts)
        {
            Dictionary<string, string> headers = await post.AllHeadersAsync();
            Assert.StartsWith("Bearer ", headers["authorization"], StringComparison.Ordinal);
            Assert.False(headers.ContainsKey("cookie"), $"{post.Url} carried cookies");
            Assert.Equal(fixture.Spa.BrowserOrigin, headers["origin"]);
        }
    }

    [Fact]
    public async Task TheSameAppOnAnUnregisteredOriginCannotReadTheApi()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        IPage page = await context.NewPageAsync();
        // The same host under its other name: http://127.0.0.1:PORT, registered for no client.
        await page.GotoAsync(new Uri(fixture.Spa.Address, "/config.json").ToString());

        string outcome = await page.EvaluateAsync<string>(
            "async (url) => { try { const r = await fetch(url, { mode: 'cors' }); return 'read ' + r.status; } catch (e) { return 'refused: ' + e.name; } }",
            new Uri(fixture.Issuer, "/shop/products").ToString());

        Assert.Equal("refused: TypeError", outcome);
    }

    [Theory]
    [InlineData("/shop/cart/items", "POST")]
    [InlineData("/shop/orders", "POST")]
    [InlineData("/oauth2/token", "POST")]
    [InlineData("/oauth2/revoke", "POST")]
    [InlineData("/oauth2/userinfo", "GET")]
    public async Task PreflightsAreAllowedForTheRegisteredOriginOnly(string path, string method)
    {
        using HttpClient http = fixture.Http();

        using HttpResponseMessage registered = await http.SendAsync(Preflight(path, method, fixture.Spa.BrowserOrigin));
        using HttpResponseMessage unregistered = await http.SendAsync(Preflight(path, method, UnregisteredOrigin));

        // Fetch §3.2.3: the origin echoed back (never *, the app's requests are per-user), and the header the app sends.
        Assert.True(registered.IsSuccessStatusCode, $"{(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
        Assert.Equal(fixture.Spa.BrowserOrigin, registered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(method, string.Join(',', registered.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("authorization", string.Join(',', registered.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        Assert.False(unregistered.Headers.Contains("Access-Control-Allow-Origin"), $"{path} answered {UnregisteredOrigin}'s preflight with CORS headers");
    }

    [Fact]
    public async Task ActualResponsesCarryCorsHeadersOnlyForTheRegisteredOrigin()
    {
        using HttpClient http = fixture.Http();

        using HttpResponseMessage registered = await http.SendAsync(WithOrigin(HttpMethod.Get, "/shop/products", fixture.Spa.BrowserOrigin));
        using HttpResponseMessage unregistered = await http.SendAsync(WithOrigin(HttpMethod.Get, "/shop/products", UnregisteredOrigin));

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(fixture.Spa.BrowserOrigin, registered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", registered.Headers.Vary);
        Assert.False(unregistered.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string path, string method, string origin)
    {
        HttpRequestMessage request = WithOrigin(HttpMethod.Options, path, origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static HttpRequestMessage WithOrigin(HttpMethod method, string path, string origin)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static async Task ExpectStatusAsync(IPage page, string status)
    {
        string error = "";
        try
        {
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(status);
        }
        catch (PlaywrightException)
        {
            error = await page.Locator("#error").TextContentAsync() ?? "";
            throw new Xunit.Sdk.XunitException($"The app's status is not '{status}': {await page.Locator("#status").TextContentAsync()} {error}");
        }
    }
}
