using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tessera.Cluster.Tests.Support;

namespace Tessera.Cluster.Tests;

/// <summary>
/// Parts of the shared-stores cluster fail and come back while clients use it. Each test puts
/// back what it broke before it ends, whatever happens.
/// </summary>
[Collection(SharedStoresCollection.Name)]
public sealed class FaultTests(SharedStoresCluster shared)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    private BalancedCluster Cluster => shared.Cluster;

    [Fact]
    public async Task AnInstanceKilledMidLoadCostsNoSessionAndNoFailedRequest()
    {
        ClusterClient[] clients = [.. Enumerable.Range(0, 6).Select(_ => Cluster.Client())];
        ServerInstance victim = Cluster.Instances[1];
        try
        {
            for (int i = 0; i < clients.Length; i++)
            {
                await clients[i].SignUpAndInAsync($"load-{i}");
            }

            var failures = new ConcurrentQueue<string>();
            int requests = 0;
            using var stop = new CancellationTokenSource();
            Task[] load = [.. clients.Select(client => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (string path in (string[])["/auth/me", "/shop/cart"])
                    {
                        HttpResponseMessage response = await client.Http.GetAsync(path, CancellationToken.None);
                        Interlocked.Increment(ref requests);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Enqueue($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                }
            }))];

            await WhileLoadRunsAsync(() => requests, 60);
            await victim.KillAsync();
            int atKill = requests;
            await WhileLoadRunsAsync(() => requests - atKill, 120);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            Assert.True(failures.IsEmpty, $"{failures.Count} of {requests} requests failed: {string.Join("; ", failures.Take(5))}\n{Cluster.Diagnostics()}");
            // nginx did meet the dead instance (and went on to the next one) during the load.
            Assert.Contains($"127.0.0.1:{victim.Port}, 127.0.0.1:", Cluster.Balancer.AccessLog, StringComparison.Ordinal);
            foreach (ClusterClient client in clients)
            {
                await client.Http.GetAsync("/auth/me").JsonAsync();
            }
        }
        finally
        {
            Array.ForEach(clients, c => c.Dispose());
            await victim.StartAsync();
        }
    }

    [Fact]
    public async Task WhileRedisRestartsSessionsAnswer503AndComeBackByThemselves()
    {
        using TwoDevices dora = await TwoDevices.SignInAsync(Cluster, "dora");
        (ClusterClient browser, string cookie, string access) = (dora.Browser, dora.Cookie, dora.AccessToken);
        using DirectClients direct = new(Cluster);
        try
        {
            await shared.Redis.KillAsync();

            // On every instance: sessions (cookie or token) are in Redis, so 503; the catalog and
            // registration need only PostgreSQL and keep working (registration's limit is then
            // counted by each instance alone).
            foreach (ClusterClient instance in direct.Clients)
            {
                await AssertStoreUnavailableAsync(instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/me", cookie)));
                await AssertStoreUnavailableAsync(instance.GetWithBearerAsync("/auth/me", access));
                await AssertStoreUnavailableAsync(instance.Http.GetAsync("/healthz"));
                await instance.Http.GetAsync("/shop/products").JsonAsync();
                // Sign-in limits are counted in Redis and refuse while it is down, even for an
                // attempt that needs no session: no unthrottled password guessing meanwhile.
                await AssertStoreUnavailableAsync(instance.Http.PostAsJsonAsync("/auth/session", new { username = "nobody-during-outage", password = "wrong password" }));
            }

            await browser.Http.PostAsJsonAsync("/auth/register", new { username = "during-redis-outage", password = ClusterHttp.Password }).JsonAsync(HttpStatusCode.Created);
        }
        finally
        {
            await shared.Redis.StartAsync();
        }

        // Each instance reconnects by itself, and Redis wrote every change to its append-only
        // file: the sessions made before the crash are still there.
        foreach (ClusterClient instance in direct.Clients)
        {
            await EventuallyOkAsync(() => instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/me", cookie)));
            await instance.GetWithBearerAsync("/auth/me", access).JsonAsync();
        }

        await browser.Http.GetAsync("/auth/me").JsonAsync();
    }

    [Fact]
    public async Task WhilePostgresRestartsItsRequestsAnswer503AndComeBackByThemselves()
    {
        using ClusterClient browser = Cluster.Client();
        await browser.SignUpAndInAsync("erin");
        string cookie = browser.Cookie(ClusterHttp.SessionCookie)!;
        await browser.Http.PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bone", quantity = 3 }).JsonAsync();
        using DirectClients direct = new(Cluster);
        // The test cluster runs with synchronous_commit=off (speed); a checkpoint makes what was
        // committed durable, as every commit is with PostgreSQL's default settings.
        await CheckpointAsync();
        try
        {
            await shared.Postgres.StopAsync();

            int i = 0;
            foreach (ClusterClient instance in direct.Clients)
            {
                await AssertStoreUnavailableAsync(instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/shop/cart", cookie)));
                await AssertStoreUnavailableAsync(instance.Http.PostAsJsonAsync("/auth/register", new { username = $"during-pg-outage-{i++}", password = ClusterHttp.Password }));
                await AssertStoreUnavailableAsync(instance.Http.GetAsync("/healthz"));
            }
        }
        finally
        {
            await shared.Postgres.StartAsync();
        }

        foreach (ClusterClient instance in direct.Clients)
        {
            await EventuallyOkAsync(() => instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/shop/cart", cookie)));
        }

        JsonElement cart = await browser.Http.GetAsync("/shop/cart").JsonAsync();
        Assert.Equal(3, Assert.Single(cart.GetProperty("items").EnumerateArray()).GetProperty("quantity").GetInt32());
    }

    /// <summary>A 503 store_unavailable problem with Retry-After, answered by an instance (not a gateway error from nginx).</summary>
    private static async Task AssertStoreUnavailableAsync(Task<HttpResponseMessage> sending)
    {
        HttpResponseMessage response = await sending.ProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After.");
        Assert.True(response.Headers.Contains(ClusterClient.InstanceHeader));
    }

    private static async Task EventuallyOkAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        while ((response = await send()).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < RecoveryTimeout, $"Still {(int)response.StatusCode} {RecoveryTimeout.TotalSeconds} s after the store came back: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until the load loop has made <paramref name="count"/> more requests (bounded by a minute).</summary>
    private static async Task WhileLoadRunsAsync(Func<int> made, int count)
    {
        var clock = Stopwatch.StartNew();
        while (made() < count && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50);
        }
    }


    private async Task CheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(shared.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CHECKPOINT", connection);
        await command.ExecuteNonQueryAsync();
    }
}
