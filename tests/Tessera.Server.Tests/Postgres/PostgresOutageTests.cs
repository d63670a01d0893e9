using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary>PostgreSQL stops under a running server: requests that need it get 503 store_unavailable quickly, and work again once it is back.</summary>
public sealed class PostgresOutageTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    // Generous for a loaded 2-core machine; a hang would be the request timeout (minutes).
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RequestsFailFastWith503WhilePostgresIsDownAndRecoverWhenItReturns()
    {
        using TestServerFactory server = await PostgresTestServer.StartAsync(cluster);
        HttpClient browser = server.CreateBrowser();
        HttpClient client = server.CreateBareClient();
        await browser.RegisterAndSignInAsync("alice");
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 1 })).AssertOkJsonAsync();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("bob");

        await cluster.StopAsync();
        try
        {
            foreach (Func<Task<HttpResponseMessage>> request in new Func<Task<HttpResponseMessage>>[]
            {
                () => browser.GetAsync("/shop/cart"),
                () => browser.GetAsync("/healthz"),
                () => browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password }),
                () => client.RefreshAsync(pair.Refresh()),
            })
            {
                var watch = Stopwatch.StartNew();
                HttpResponseMessage response = await request();
                watch.Stop();

                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
                Assert.True(watch.Elapsed < Fast, $"{response.RequestMessage?.RequestUri} took {watch.Elapsed}");
            }

            HttpResponseMessage cart = await browser.GetAsync("/shop/cart");
            Assert.Equal(TimeSpan.FromSeconds(5), cart.Headers.RetryAfter?.Delta);
            Assert.Null(cart.SetCookie());
        }
        finally
        {
            await cluster.StartAsync();
        }

        JsonElement items = (await (await browser.GetAsync("/shop/cart")).AssertOkJsonAsync()).GetProperty("items");
        Assert.Equal("tessera-bronze", Assert.Single(items.EnumerateArray()).GetProperty("productId").GetString());
        await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        await (await browser.GetAsync("/healthz")).AssertOkJsonAsync();
    }
}
