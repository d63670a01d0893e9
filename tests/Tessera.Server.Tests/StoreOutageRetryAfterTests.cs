using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Server.Tests;

/// <summary>Every 503 <c>store_unavailable</c> says when to try again, whichever part of the server noticed the outage.</summary>
public sealed class StoreOutageRetryAfterTests : IDisposable
{
    private readonly StoreOutage _outage = new();
    private readonly TestServerFactory _server;

    public StoreOutageRetryAfterTests() =>
        _server = new TestServerFactory(services: services =>
        {
            services.AddSingleton<IUserStore>(sp => new FailingUserStore(new SqliteUserStore(sp.GetRequiredService<SqliteDatabase>()), _outage));
            services.AddSingleton<ISessionStore>(sp => new FailingSessionStore(new SqliteSessionStore(sp.GetRequiredService<SqliteDatabase>()), _outage));
            services.AddSingleton<IStoreHealthProbe>(new FailingHealthProbe(_outage));
        });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AnEndpointsOutageCarriesRetryAfter()
    {
        _outage.Down = true;

        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "alice", password = Http.Password });

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ASessionCheckOutageCarriesRetryAfter()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        _outage.Down = true;

        HttpResponseMessage response = await browser.GetAsync("/auth/me");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task AnAccessTokenCheckOutageCarriesRetryAfter()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        string token = (await (await browser.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertOkJsonAsync()).GetProperty("access_token").GetString()!;
        _outage.Down = true;
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task TheHealthCheckCarriesRetryAfter()
    {
        _outage.Down = true;

        HttpResponseMessage response = await _server.CreateBrowser().GetAsync("/healthz");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }
}
