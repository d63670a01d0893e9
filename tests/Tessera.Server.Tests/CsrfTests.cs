using System.Net;
using System.Net.Http.Json;

namespace Tessera.Server.Tests;

public sealed class CsrfTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Csrf:TrustedOrigins:0"] = "https://shop.example.org" });

    public void Dispose() => _server.Dispose();

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        return browser;
    }

    private static HttpRequestMessage AddToCart(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/shop/cart/items") { Content = JsonContent.Create(new { productId = "tessera-bronze", quantity = 1 }) };
        foreach ((string name, string value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    [Fact]
    public async Task CrossSitePostIsRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
        Assert.Empty((await (await browser.GetAsync("/shop/cart")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task SameSiteButCrossOriginPostIsRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Sec-Fetch-Site", "same-site"), ("Origin", "https://sub.localhost")));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
    }

    [Fact]
    public async Task ForeignOriginWithoutFetchMetadataIsRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Origin", "https://evil.example")));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
    }

    [Fact]
    public async Task OpaqueNullOriginIsRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();

        await (await browser.SendAsync(AddToCart(("Origin", "null")))).AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
    }

    [Fact]
    public async Task SameOriginPostIsAllowed()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Sec-Fetch-Site", "same-origin"), ("Origin", "https://localhost")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OwnOriginWithoutFetchMetadataIsAllowed()
    {
        HttpClient browser = await SignedInBrowserAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(AddToCart(("Origin", "https://localhost")))).StatusCode);
    }

    [Fact]
    public async Task ConfiguredTrustedOriginIsAllowed()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Sec-Fetch-Site", "cross-site"), ("Origin", "https://shop.example.org")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NonBrowserClientWithoutOriginHeadersIsAllowed()
    {
        HttpClient browser = await SignedInBrowserAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(AddToCart())).StatusCode);
    }

    [Fact]
    public async Task CrossSiteSignInIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/session") { Content = JsonContent.Create(new { username = "alice", password = Http.Password }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        HttpResponseMessage response = await browser.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
        Assert.Null(response.SetCookie());
    }

    [Fact]
    public async Task CrossSiteSignOutIsRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();
        var request = new HttpRequestMessage(HttpMethod.Delete, "/auth/session");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        await (await browser.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task CrossSitePostWithABearerHeaderIsAllowed()
    {
        // A single-page app on another site holding its own access token: nothing ambient to forge.
        HttpClient app = _server.CreateBrowser();
        await app.RegisterAsync("alice");
        string accessToken = (await (await app.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertOkJsonAsync()).GetProperty("access_token").GetString()!;

        HttpResponseMessage response = await app.SendAsync(AddToCart(("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example"), ("Authorization", $"Bearer {accessToken}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ABearerHeaderDoesNotLetTheSessionCookieThroughCrossSite()
    {
        // The header turns the request over to the bearer scheme: a made-up token is refused there,
        // and the signed-in browser's cookie is never used for it.
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.SendAsync(AddToCart(("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example"), ("Authorization", "Bearer made-up")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await (await browser.GetAsync("/shop/cart")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CrossSiteReadsAreNotRefused()
    {
        HttpClient browser = await SignedInBrowserAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/shop/products");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request)).StatusCode);
    }
}
