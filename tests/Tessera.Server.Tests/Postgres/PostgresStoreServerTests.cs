using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.PostgreSql;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary>The whole server on PostgreSQL: accounts, cookie sessions, the shop, token mode, and two instances sharing one database.</summary>
public sealed class PostgresStoreServerTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task RegisterSignInShopAndOrderOnPostgres()
    {
        using TestServerFactory server = await PostgresTestServer.StartAsync(cluster);
        HttpClient browser = server.CreateBrowser();

        JsonElement health = await (await browser.GetAsync("/healthz")).AssertOkJsonAsync();
        Assert.Equal(["postgres"], health.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
        Assert.IsType<PostgresClientStore>(server.Services.GetRequiredService<Tessera.OAuth.IClientStore>());
        Assert.IsType<PostgresAuthorizationCodeStore>(server.Services.GetRequiredService<Tessera.OAuth.IAuthorizationCodeStore>());
        Assert.IsType<PostgresConsentStore>(server.Services.GetRequiredService<Tessera.OAuth.IConsentStore>());
        await browser.RegisterAndSignInAsync("alice");
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 2 })).AssertOkJsonAsync();
        JsonElement cart = await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "mosaic-kit", quantity = 1 })).AssertOkJsonAsync();
        Assert.Equal(2 * 450 + 2500, cart.GetProperty("totalCents").GetInt64());
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-lead", quantity = 60 })).AssertOkJsonAsync();
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-lead", quantity = 40 })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/shop/cart/items/tessera-lead")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.DeleteAsync("/shop/cart/items/tessera-lead")).StatusCode);
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "no-such", quantity = 1 })).AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");

        JsonElement order = await (await browser.PostAsync("/shop/orders", null)).AssertOkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(3400, order.GetProperty("totalCents").GetInt64());
        Assert.Equal(server.Time.GetUtcNow(), order.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Empty((await (await browser.GetAsync("/shop/cart")).AssertOkJsonAsync()).GetProperty("items").EnumerateArray());
        await (await browser.PostAsync("/shop/orders", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cart_empty");
        JsonElement orders = (await (await browser.GetAsync("/shop/orders")).AssertOkJsonAsync()).GetProperty("orders");
        Assert.Equal(order.GetProperty("id").GetString(), Assert.Single(orders.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(2, orders[0].GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task ConcurrentOrdersOfOneCartMakeOneOrder()
    {
        using TestServerFactory server = await PostgresTestServer.StartAsync(cluster);
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bone", quantity = 3 })).AssertOkJsonAsync();

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => browser.PostAsync("/shop/orders", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single((await (await browser.GetAsync("/shop/orders")).AssertOkJsonAsync()).GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task TokenSignInRefreshAndReuseDetectionOnPostgres()
    {
        using TestServerFactory server = await PostgresTestServer.StartAsync(cluster);
        HttpClient client = server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");

        JsonElement second = await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();

        Assert.Equal(first.SessionId(), second.SessionId());
        await (await client.GetWithBearerAsync("/auth/me", second.Access())).AssertOkJsonAsync();
        SessionRecord stored = await server.StoredSessionAsync(first.SessionId());
        Assert.Equal(TokenHttp.HashOf(second.Refresh()), stored.SecretHash.ToArray());
        server.Time.Advance(TimeSpan.FromSeconds(6));
        await (await client.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await (await client.GetWithBearerAsync("/auth/me", second.Access())).AssertBearerRefusedAsync("session_revoked");
    }

    [Fact]
    public async Task TwoInstancesSharingTheDatabaseShareSessionsKeysAndTheDataProtectionRing()
    {
        string database = await cluster.CreateDatabaseAsync();
        using TestServerFactory first = await PostgresTestServer.StartAsync(cluster, database);
        using TestServerFactory second = await PostgresTestServer.StartAsync(cluster, database);
        HttpClient one = first.CreateBareClient();
        HttpClient two = second.CreateBareClient();
        HttpClient browser = first.CreateBrowser();
        await browser.RegisterAndSignInAsync("bob");

        // Each instance has its own data folder: the signing key the first one created can only be
        // unprotected by the second through the data-protection ring kept in PostgreSQL.
        JsonElement pair = await one.RegisterAndSignInForTokensAsync("alice");
        await (await two.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        JsonElement refreshedOnTwo = await (await two.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        JsonElement pairFromTwo = await two.SignInForTokensAsync("alice");
        await (await one.GetWithBearerAsync("/auth/me", pairFromTwo.Access())).AssertOkJsonAsync();
        await (await one.GetWithBearerAsync("/auth/me", refreshedOnTwo.Access())).AssertOkJsonAsync();

        // A cookie session made on one instance is known to the other, and so is its sign-out.
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "bob", password = Http.Password })).SetCookie()!);
        HttpClient twoBrowser = second.CreateBareClient();
        Assert.Equal(HttpStatusCode.OK, (await twoBrowser.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await one.SendAsync(Http.WithCookie(HttpMethod.Delete, "/auth/session", cookie))).StatusCode);
        await (await twoBrowser.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");

        PostgresDatabase shared = first.Services.GetRequiredService<PostgresDatabase>();
        long ringKeys = await shared.RunAsync(async (connection, ct) =>
            (long)(await connection.Command("SELECT COUNT(*) FROM data_protection_keys;").ExecuteScalarAsync(ct))!, CancellationToken.None);
        Assert.True(ringKeys >= 1);
        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "keys")) && Directory.EnumerateFiles(Path.Combine(first.DataDirectory, "keys")).Any());
    }
}
