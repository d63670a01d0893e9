using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Tessera.InMemory;
using Tessera.Redis;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;
using Tessera.Testing.Servers;
using Tessera.Throttling;

namespace Tessera.Server.Tests;

/// <summary>The server with <c>Tessera:SessionStore=redis</c> against a real redis-server: sessions in Redis, the rest in SQLite.</summary>
public sealed class RedisSessionStoreServerTests : IAsyncLifetime
{
    // Not a performance bound: an answer that takes this long means a request hung.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(15);

    private readonly RedisServer _redis = new();
    private readonly string _prefix = $"server-test:{Guid.NewGuid():N}:";
    private TestServerFactory? _server;
    private IConnectionMultiplexer? _inspector;

    private TestServerFactory Server => _server!;

    private IDatabase Redis => _inspector!.GetDatabase();

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionStore"] = "redis",
            ["Tessera:Redis:Configuration"] = _redis.Configuration,
            ["Tessera:Redis:KeyPrefix"] = _prefix,
        });
        _inspector = await TesseraRedisConnection.ConnectAsync(_redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        _server?.Dispose();
        if (_inspector is not null)
        {
            await _inspector.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task RateLimitsAreCountedInRedisWithTheSessionsUnlessTheSettingSaysOtherwise()
    {
        await Server.CreateBrowser().RegisterAndSignInAsync("counted");

        Assert.IsType<RedisThrottleStore>(Server.Services.GetRequiredService<IThrottleStore>());
        // The registration's and the sign-in's per-client counters, the account's (both spend it), and
        // the lockout's record that this client signed in to the account (a known client).
        Assert.Equal(4, _inspector!.GetServers()[0].Keys(pattern: _prefix + "v1:throttle:*").Count());

        using var inMemory = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionStore"] = "redis",
            ["Tessera:Redis:Configuration"] = _redis.Configuration,
            ["Tessera:RateLimits:Store"] = "memory",
        });
        Assert.IsType<InMemoryThrottleStore>(inMemory.Services.GetRequiredService<IThrottleStore>());
        using var limitsOnly = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:Redis:Configuration"] = _redis.Configuration,
            ["Tessera:RateLimits:Store"] = "redis",
        });
        Assert.IsType<RedisThrottleStore>(limitsOnly.Services.GetRequiredService<IThrottleStore>());
        Assert.IsNotType<RedisSessionStore>(limitsOnly.Services.GetRequiredService<ISessionStore>());
    }

    [Fact]
    public async Task CookieAndTokenSessionsLiveInRedisAndEveryFlowWorks()
    {
        HttpClient browser = Server.CreateBrowser();
        JsonElement signedIn = await browser.RegisterAndSignInAsync("alice");
        string cookieSession = signedIn.GetProperty("session").GetProperty("id").GetString()!;
        JsonElement tokens = await Server.CreateBareClient().SignInForTokensAsync("alice");

        Assert.IsType<RedisSessionStore>(Server.Services.GetRequiredService<ISessionStore>());
        // Only sessions move to Redis: the OAuth provider's clients, codes and consents stay in SQLite.
        Assert.IsType<Tessera.Sqlite.SqliteClientStore>(Server.Services.GetRequiredService<Tessera.OAuth.IClientStore>());
        Assert.IsType<Tessera.Sqlite.SqliteAuthorizationCodeStore>(Server.Services.GetRequiredService<Tessera.OAuth.IAuthorizationCodeStore>());
        Assert.IsType<Tessera.Sqlite.SqliteConsentStore>(Server.Services.GetRequiredService<Tessera.OAuth.IConsentStore>());
        Assert.True(await Redis.KeyExistsAsync($"{_prefix}v1:s:{cookieSession}"));
        Assert.True(await Redis.KeyExistsAsync($"{_prefix}v1:s:{tokens.SessionId()}"));

        // The shop (SQLite) with the Redis session, by cookie and by bearer token.
        await (await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 2 })).AssertOkJsonAsync();
        await (await browser.PostAsync("/shop/orders", null)).AssertOkJsonAsync(HttpStatusCode.Created);
        await (await Server.CreateBareClient().SendWithBearerAsync(HttpMethod.Post, "/shop/cart/items", tokens.Access(), new { productId = "mosaic-kit", quantity = 1 })).AssertOkJsonAsync();

        // Both sessions listed; refresh rotates in Redis.
        JsonElement sessions = (await (await browser.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");
        Assert.Equal(2, sessions.GetArrayLength());
        JsonElement refreshed = await (await Server.CreateBareClient().RefreshAsync(tokens.Refresh())).AssertOkJsonAsync();
        Assert.Equal(tokens.SessionId(), refreshed.SessionId());

        // Revoking the token session from the browser: its tokens stop working, and its id is on the revocation list.
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/auth/sessions/{tokens.SessionId()}")).StatusCode);
        await (await Server.CreateBareClient().GetWithBearerAsync("/auth/me", refreshed.Access())).AssertBearerRefusedAsync("session_revoked");
        Assert.True(await new RedisSessionRevocationList(_inspector!, _prefix).IsRevokedAsync(tokens.SessionId(), CancellationToken.None));
        Assert.Equal(1, (await (await browser.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions").GetArrayLength());

        JsonElement health = await (await browser.GetAsync("/healthz")).AssertOkJsonAsync();
        Assert.Equal(["sqlite", "redis"], health.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task ARedisOutageAnswers503QuicklyAndTheServerRecoversWithTheSessionsWrittenBefore()
    {
        HttpClient browser = Server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);

        await _redis.StopAsync();

        var clock = Stopwatch.StartNew();
        HttpResponseMessage during = await browser.GetAsync("/auth/me").WaitAsync(HangLimit);
        await during.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.NotNull(during.Headers.RetryAfter);
        await (await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password }).WaitAsync(HangLimit))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        await (await browser.GetAsync("/healthz").WaitAsync(HangLimit)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.True(clock.Elapsed < HangLimit, $"the outage answers took {clock.Elapsed}");

        await _redis.StartAsync();

        // The client reconnects by itself; the cookie issued before the restart works again.
        HttpResponseMessage after;
        do
        {
            await Task.Delay(200);
            after = await browser.GetAsync("/auth/me");
        }
        while (after.StatusCode == HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromSeconds(90));

        JsonElement me = await after.AssertOkJsonAsync();
        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
    }
}
