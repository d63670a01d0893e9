using System.Net;
using System.Net.Http.Json;
using Tessera.Cluster.Tests.Support;

namespace Tessera.Cluster.Tests;

/// <summary>
/// docs/nginx/sticky.conf in front of three instances that share nothing (each its own SQLite):
/// stickiness alone keeps a client's requests on the instance that holds its session.
/// </summary>
public sealed class StickySessionTests : IAsyncLifetime
{
    private BalancedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await BalancedCluster.StartAsync(NginxConfig.Sticky, 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task AClientKeepsLandingOnTheInstanceThatSignedItIn()
    {
        using ClusterClient client = _cluster.Client();

        await client.Http.GetAsync("/healthz").JsonAsync();
        await client.SignUpAndInAsync("alice");
        await client.Http.PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 2 }).JsonAsync();
        await client.Http.PostAsync("/shop/orders", null).JsonAsync(HttpStatusCode.Created);
        for (int i = 0; i < 10; i++)
        {
            await client.Http.GetAsync("/auth/me").JsonAsync();
        }

        Assert.NotNull(client.Cookie("tessera_route"));
        Assert.Equal(15, client.AnsweredBy.Count);
        Assert.Single(client.AnsweredBy.Distinct());
    }

    [Fact]
    public async Task ClientsAreSpreadOverTheInstancesEachKeepingToItsOwn()
    {
        List<ClusterClient> clients = [.. Enumerable.Range(0, 12).Select(_ => _cluster.Client())];
        try
        {
            foreach (ClusterClient client in clients)
            {
                await client.Http.GetAsync("/healthz").JsonAsync();
                await client.Http.GetAsync("/healthz").JsonAsync();
                await client.Http.GetAsync("/shop/products").JsonAsync();
            }

            Assert.All(clients, c => Assert.Single(c.AnsweredBy.Distinct()));
            // Twelve random routes all hashing to one of three instances: about 1 in 177,000.
            Assert.True(clients.Select(c => c.AnsweredBy[0]).Distinct().Count() > 1, "Every client landed on the same instance.");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task WithoutASharedStoreTheClientIsSignedOutWhenItsInstanceDies()
    {
        using ClusterClient client = _cluster.Client();
        await client.SignUpAndInAsync("bob");
        string home = Assert.Single(client.AnsweredBy.Distinct());
        string cookie = client.Cookie(ClusterHttp.SessionCookie)!;
        ServerInstance instance = _cluster.Instance(home);

        await instance.KillAsync();
        HttpResponseMessage elsewhere = await client.Http.GetAsync("/auth/me").ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");

        // nginx moved the client along its hash ring to an instance that knows nothing of the
        // session, and that instance told the browser to drop the cookie.
        Assert.NotEqual(home, elsewhere.Headers.GetValues(ClusterClient.InstanceHeader).Single());
        Assert.Null(client.Cookie(ClusterHttp.SessionCookie));

        // The record itself survived the crash in the instance's SQLite file: once nginx sends
        // the route back to the restarted instance, the old cookie (kept aside here) works again.
        // A browser no longer has it: for the user the session is gone.
        await instance.StartAsync();
        using ClusterClient sameRoute = _cluster.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage me;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "nginx did not send the route back to the restarted instance within 60 s.");
            await Task.Delay(500);
            var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
            request.Headers.Add("Cookie", $"tessera_route={client.Cookie("tessera_route")}; {ClusterHttp.SessionCookie}={cookie}");
            me = await sameRoute.Http.SendAsync(request);
        }
        while (me.StatusCode != HttpStatusCode.OK);

        Assert.Equal(home, sameRoute.AnsweredBy[^1]);
        await client.Http.GetAsync("/auth/me").ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
