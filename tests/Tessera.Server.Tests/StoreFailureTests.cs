using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Tests;

public sealed class StoreFailureTests : IDisposable
{
    private readonly StoreOutage _outage = new();
    private readonly TestServerFactory _server;

    public StoreFailureTests() =>
        _server = new TestServerFactory(services: services =>
        {
            services.AddSingleton(_outage);
            services.AddSingleton<IUserStore>(sp => new FailingUserStore(new SqliteUserStore(sp.GetRequiredService<SqliteDatabase>()), _outage));
            services.AddSingleton<ISessionStore>(sp => new FailingSessionStore(new SqliteSessionStore(sp.GetRequiredService<SqliteDatabase>()), _outage));
            services.AddSingleton<IStoreHealthProbe>(new FailingHealthProbe(_outage));
        });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task HealthAnswersWhenTheStoresAnswer()
    {
        var health = await (await _server.CreateBrowser().GetAsync("/healthz")).AssertOkJsonAsync();

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Contains("sqlite", health.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task HealthIsUnavailableWhenAStoreIsDown()
    {
        _outage.Down = true;

        HttpResponseMessage response = await _server.CreateBrowser().GetAsync("/healthz");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task RegistrationDuringAnOutageIsUnavailableNotAnError()
    {
        _outage.Down = true;

        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "alice", password = Http.Password });

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task SignInDuringAnOutageIsUnavailable()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        _outage.Down = true;

        await (await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password }))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
    }

    [Fact]
    public async Task SessionCheckDuringAnOutageIsUnavailableAndKeepsTheCookie()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        _outage.Down = true;

        HttpResponseMessage response = await browser.GetAsync("/shop/cart");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Null(response.SetCookie());
        _outage.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/shop/cart")).StatusCode);
    }

    [Fact]
    public async Task AccessTokenCheckDuringAnOutageIsUnavailable()
    {
        HttpClient client = _server.CreateBareClient();
        string access = (await client.RegisterAndSignInForTokensAsync("alice")).Access();
        _outage.Down = true;

        HttpResponseMessage response = await client.GetWithBearerAsync("/auth/me", access);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }
}
