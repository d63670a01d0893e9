using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests;

public sealed class ShopTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private static Task<HttpResponseMessage> AddAsync(HttpClient client, string productId, int quantity) =>
        client.PostJsonAsync("/shop/cart/items", new { productId, quantity });

    [Fact]
    public async Task ProductsArePublic()
    {
        JsonElement body = await (await _server.CreateBrowser().GetAsync("/shop/products")).AssertOkJsonAsync();

        JsonElement bronze = body.GetProperty("products").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "tessera-bronze");
        Assert.Equal(450, bronze.GetProperty("priceCents").GetInt64());
        Assert.Equal("EUR", bronze.GetProperty("currency").GetString());
    }

    [Theory]
    [InlineData("GET", "/shop/cart")]
    [InlineData("POST", "/shop/cart/items")]
    [InlineData("DELETE", "/shop/cart/items/tessera-bronze")]
    [InlineData("POST", "/shop/orders")]
    [InlineData("GET", "/shop/orders")]
    public async Task EverythingButTheCatalogNeedsASignedInUser(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { productId = "tessera-bronze", quantity = 1 });
        }

        await (await _server.CreateBrowser().SendAsync(request)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AddToTheCartThenOrderWithoutSigningInAgain()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await AddAsync(browser, "tessera-bronze", 2)).AssertOkJsonAsync();
        JsonElement cart = await (await AddAsync(browser, "mosaic-kit", 1)).AssertOkJsonAsync();
        Assert.Equal(2 * 450 + 2500, cart.GetProperty("totalCents").GetInt64());

        JsonElement order = await (await browser.PostAsync("/shop/orders", null)).AssertOkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(3400, order.GetProperty("totalCents").GetInt64());
        Assert.Equal(2, order.GetProperty("lines").GetArrayLength());
        Assert.Equal(_server.Time.GetUtcNow(), order.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Empty((await (await browser.GetAsync("/shop/cart")).JsonAsync()).GetProperty("items").EnumerateArray());
        JsonElement orders = (await (await browser.GetAsync("/shop/orders")).AssertOkJsonAsync()).GetProperty("orders");
        Assert.Equal(order.GetProperty("id").GetString(), orders[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task AddingAProductTwiceAddsUpTheQuantity()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await AddAsync(browser, "tessera-lead", 2);

        JsonElement cart = await (await AddAsync(browser, "tessera-lead", 3)).AssertOkJsonAsync();

        JsonElement line = cart.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(5, line.GetProperty("quantity").GetInt32());
        Assert.Equal(1500, line.GetProperty("lineTotalCents").GetInt64());
    }

    [Fact]
    public async Task UnknownProductIsNotFound()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await AddAsync(browser, "unicorn", 1)).AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100)]
    public async Task QuantityOutsideOneToNinetyNineIsRefused(int quantity)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        JsonElement problem = await (await AddAsync(browser, "tessera-lead", quantity)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _));
    }

    [Fact]
    public async Task LineCannotGrowPastNinetyNine()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await AddAsync(browser, "tessera-lead", 60);

        await (await AddAsync(browser, "tessera-lead", 40)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task RemovedItemLeavesTheCart()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await AddAsync(browser, "tessera-lead", 1);
        await AddAsync(browser, "tessera-bone", 1);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/shop/cart/items/tessera-lead")).StatusCode);

        JsonElement cart = await (await browser.GetAsync("/shop/cart")).AssertOkJsonAsync();
        Assert.Equal("tessera-bone", cart.GetProperty("items").EnumerateArray().Single().GetProperty("productId").GetString());
        await (await browser.DeleteAsync("/shop/cart/items/tessera-lead")).AssertProblemAsync(HttpStatusCode.NotFound, "item_not_in_cart");
    }

    [Fact]
    public async Task OrderingAnEmptyCartIsAConflict()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await browser.PostAsync("/shop/orders", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cart_empty");
    }

    [Fact]
    public async Task CartBelongsToTheUserAndOutlivesTheSession()
    {
        HttpClient laptop = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        await AddAsync(laptop, "tessera-bone", 1);
        await laptop.DeleteAsync("/auth/session");

        HttpClient phone = _server.CreateBrowser();
        await phone.SignInAsync("alice");

        JsonElement cart = await (await phone.GetAsync("/shop/cart")).AssertOkJsonAsync();
        Assert.Equal("tessera-bone", cart.GetProperty("items").EnumerateArray().Single().GetProperty("productId").GetString());
    }

    [Fact]
    public async Task UsersDoNotSeeEachOthersCartsOrOrders()
    {
        HttpClient alice = _server.CreateBrowser();
        HttpClient bob = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        await bob.RegisterAndSignInAsync("bob");
        await AddAsync(alice, "tessera-bone", 1);
        await alice.PostAsync("/shop/orders", null);
        await AddAsync(alice, "tessera-lead", 1);

        Assert.Empty((await (await bob.GetAsync("/shop/cart")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await bob.GetAsync("/shop/orders")).JsonAsync()).GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task OrdersAreListedNewestFirstWithTheirPricesAtOrderTime()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await AddAsync(browser, "tessera-bone", 1);
        string first = (await (await browser.PostAsync("/shop/orders", null)).JsonAsync()).GetProperty("id").GetString()!;
        _server.Time.Advance(TimeSpan.FromMinutes(5));
        await AddAsync(browser, "tessera-lead", 3);
        string second = (await (await browser.PostAsync("/shop/orders", null)).JsonAsync()).GetProperty("id").GetString()!;

        JsonElement orders = (await (await browser.GetAsync("/shop/orders")).AssertOkJsonAsync()).GetProperty("orders");

        Assert.Equal([second, first], orders.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(900, orders[1].GetProperty("lines")[0].GetProperty("unitPriceCents").GetInt64());
        Assert.Equal(900, orders[1].GetProperty("totalCents").GetInt64());
    }

    [Fact]
    public async Task CartAndOrdersSurviveAServerRestart()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await AddAsync(browser, "tessera-bone", 1);
        await browser.PostAsync("/shop/orders", null);
        await AddAsync(browser, "tessera-lead", 2);

        using var restarted = new TestServerFactory(dataDirectory: _server.DataDirectory, time: _server.Time);
        HttpClient again = restarted.CreateBrowser();
        await again.SignInAsync("alice");

        Assert.Equal(2, (await (await again.GetAsync("/shop/cart")).JsonAsync()).GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Single((await (await again.GetAsync("/shop/orders")).JsonAsync()).GetProperty("orders").EnumerateArray());
    }
}
