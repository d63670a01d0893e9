using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessera.AspNetCore.Telemetry;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();
    private readonly TestServerFactory _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task SignInOutcomesAreCountedByOutcome()
    {
        HttpClient client = _server.CreateBrowser();
        await client.RegisterAsync("alice");

        await client.SignInAsync("alice");
        await (await client.PostJsonAsync("/auth/session", new { username = "alice", password = "not the password" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await client.PostJsonAsync("/auth/session", new { username = "nobody", password = "not the password" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        Assert.Equal(1, _telemetry.Sum("tessera.signin.attempts", ("outcome", "succeeded")));
        Assert.Equal(2, _telemetry.Sum("tessera.signin.attempts", ("outcome", "invalid_credentials")));
    }

    [Fact]
    public async Task ARefreshIsCountedWithTheTokensItIssued()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");

        await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();

        Assert.Equal(1, _telemetry.Sum("tessera.refresh", ("outcome", "succeeded")));
        Assert.Equal(1, _telemetry.Sum("tessera.tokens.issued", ("grant", "password"), ("kind", "access_token")));
        Assert.Equal(1, _telemetry.Sum("tessera.tokens.issued", ("grant", "password"), ("kind", "refresh_token")));
        Assert.Equal(1, _telemetry.Sum("tessera.tokens.issued", ("grant", "refresh_token"), ("kind", "access_token")));
        Assert.Equal(1, _telemetry.Sum("tessera.tokens.issued", ("grant", "refresh_token"), ("kind", "refresh_token")));
    }

    [Fact]
    public async Task ReuseIsCountedWithTheRevocationItCaused()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(2));

        await (await client.RefreshAsync(first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        Assert.Equal(1, _telemetry.Sum("tessera.refresh_token.reuse_detected"));
        Assert.Equal(1, _telemetry.Sum("tessera.refresh", ("outcome", "refresh_token_reused")));
        Assert.Equal(1, _telemetry.Sum("tessera.sessions.revoked", ("reason", "refresh_token_reused")));
    }

    [Fact]
    public async Task StoreCallsAreTimedWithTheirStoreAndOperation()
    {
        HttpClient client = _server.CreateBrowser();
        await client.RegisterAndSignInAsync("alice");

        var store = _telemetry.Points().Where(p => p.Name == "tessera.store.duration").ToList();
        var signInLookup = Assert.Single(store, p => p.Tags["store"] == "sqlite" && p.Tags["operation"] == "SqlUserStore.FindByNormalizedUsername");
        Assert.True(signInLookup.Count >= 2, "registration and sign-in each look the name up");
        Assert.True(signInLookup.Value > 0);
        Assert.Contains(store, p => p.Tags["operation"] == "SqlSessionStore.Create" && p.Count == 1);
        Assert.All(store, p => Assert.Equal(["operation", "store"], p.Tags.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task CacheLookupsAreCountedAsHitsAndMisses()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        // Stored on its second validation (the cache's doorkeeper), answered from the cache on the third.
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();

        Assert.Equal(2, _telemetry.Sum("tessera.cache.lookups", ("cache", "verified_token"), ("result", "miss")));
        Assert.Equal(1, _telemetry.Sum("tessera.cache.lookups", ("cache", "verified_token"), ("result", "hit")));
        Assert.True(_telemetry.Sum("tessera.cache.lookups", ("cache", "key_ring"), ("result", "hit")) >= 1);
    }

    [Fact]
    public async Task ActiveSessionsAreTheStoresCountNotAScanPerScrape()
    {
        HttpClient alice = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        await _server.CreateBrowser().RegisterAndSignInAsync("bob");
        ActiveSessionsGaugeService gauge = _server.Services.GetServices<IHostedService>().OfType<ActiveSessionsGaugeService>().Single();

        Assert.Equal(2, await gauge.Gauge!.RefreshAsync(CancellationToken.None));
        Assert.Equal(2, _telemetry.Sum("tessera.sessions.active"));

        // A sign-out lowers the store's count; the gauge reports it at its next count, not before.
        await alice.DeleteAsync("/auth/session");
        Assert.Equal(2, _telemetry.Sum("tessera.sessions.active"));
        Assert.Equal(1, await gauge.Gauge.RefreshAsync(CancellationToken.None));
        Assert.Equal(1, _telemetry.Sum("tessera.sessions.active"));
    }
}
