using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests.Tokens;

public sealed class CookieDeliveryTests : IDisposable
{
    private const string AccessCookie = "__Host-tessera-at";
    private const string RefreshCookie = "__Host-tessera-rt";

    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private static async Task<HttpResponseMessage> SignInWithCookiesAsync(HttpClient browser, string username)
    {
        await browser.RegisterAsync(username);
        return await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username, password = Http.Password });
    }

    [Fact]
    public async Task CookieDeliveryPutsBothTokensInHttpOnlyCookiesAndNotInTheBody()
    {
        HttpResponseMessage response = await SignInWithCookiesAsync(_server.CreateBrowser(), "alice");

        JsonElement body = await response.AssertOkJsonAsync();
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        string access = response.SetCookie(AccessCookie)!.ToLowerInvariant();
        string refresh = response.SetCookie(RefreshCookie)!.ToLowerInvariant();
        Assert.Contains("httponly", access, StringComparison.Ordinal);
        Assert.Contains("secure", access, StringComparison.Ordinal);
        Assert.Contains("path=/;", access + ";", StringComparison.Ordinal);
        Assert.Contains("samesite=lax", access, StringComparison.Ordinal);
        Assert.Contains("httponly", refresh, StringComparison.Ordinal);
        Assert.Contains("secure", refresh, StringComparison.Ordinal);
        Assert.Contains("path=/;", refresh + ";", StringComparison.Ordinal);
        Assert.Contains("samesite=strict", refresh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShopWorksWithCookieDeliveredTokensAndARefreshInBetween()
    {
        HttpClient browser = _server.CreateBrowser();
        await (await SignInWithCookiesAsync(browser, "alice")).AssertOkJsonAsync();
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 2 })).AssertOkJsonAsync();

        _server.Time.Advance(TimeSpan.FromMinutes(16));
        await (await browser.GetAsync("/shop/cart")).AssertBearerRefusedAsync("invalid_token");
        HttpResponseMessage refreshed = await browser.PostJsonAsync("/auth/token/refresh", new { });

        await refreshed.AssertOkJsonAsync();
        Assert.NotNull(refreshed.SetCookie(AccessCookie));
        Assert.NotNull(refreshed.SetCookie(RefreshCookie));
        JsonElement order = await (await browser.PostAsync("/shop/orders", null)).AssertOkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(900, order.GetProperty("totalCents").GetInt64());
    }

    [Fact]
    public async Task ACrossSiteRefreshWithTheCookieIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await (await SignInWithCookiesAsync(browser, "alice")).AssertOkJsonAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/token/refresh") { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        request.Headers.Add("Origin", "https://evil.example");

        await (await browser.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
    }

    [Fact]
    public async Task RevokingWithTheCookieSignsOutAndClearsBothCookies()
    {
        HttpClient browser = _server.CreateBrowser();
        await (await SignInWithCookiesAsync(browser, "alice")).AssertOkJsonAsync();

        HttpResponseMessage revoked = await browser.PostJsonAsync("/auth/token/revoke", new { });

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Contains("expires=", revoked.SetCookie(AccessCookie)!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", revoked.SetCookie(RefreshCookie)!, StringComparison.OrdinalIgnoreCase);
        await (await browser.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AnUnknownDeliveryIsAValidationError()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/token?delivery=carrier-pigeon", new { username = "alice", password = Http.Password });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}
