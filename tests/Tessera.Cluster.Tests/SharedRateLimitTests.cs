using System.Net;
using System.Net.Http.Json;
using Tessera.Cluster.Tests.Support;

namespace Tessera.Cluster.Tests;

/// <summary>
/// Limits that hold for the cluster, not per instance: three instances behind round-robin nginx
/// count one client's attempts together in Redis, so the budget is the configured one whichever
/// instance answers (before, each instance kept its own count: three times the budget). Each test
/// connects from a loopback address of its own, so its count starts at zero.
/// </summary>
[Collection(SharedStoresCollection.Name)]
public sealed class SharedRateLimitTests(SharedStoresCluster shared)
{
    private BalancedCluster Cluster => shared.Cluster;

    [Fact]
    public async Task TheSignInBudgetPerClientHoldsAcrossInstances()
    {
        IPAddress address = IPAddress.Parse("127.0.0.41");
        using ClusterClient client = Cluster.Client(address);

        // Unknown names: each attempt is a wrong sign-in, and no account limit or lockout interferes.
        for (int i = 0; i < SharedStoresCluster.SignInPerClient; i++)
        {
            await client.Http.PostAsJsonAsync("/auth/session", new { username = $"nobody-{i}", password = "wrong password" })
                .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        await AssertRateLimitedAsync(client.Http.PostAsJsonAsync("/auth/session", new { username = "nobody-next", password = "wrong password" }));
        Assert.True(client.AnsweredBy.Distinct().Count() == Cluster.Instances.Count, $"Only {string.Join(", ", client.AnsweredBy.Distinct())} answered.");
        // Spent on every instance, asked directly from the same address.
        await ForEachInstanceAsync(address, instance =>
            AssertRateLimitedAsync(instance.Http.PostAsJsonAsync("/auth/session", new { username = "nobody-direct", password = "wrong password" })));
    }

    [Fact]
    public async Task TheSignInBudgetPerAccountHoldsAcrossInstances()
    {
        using ClusterClient client = Cluster.Client(IPAddress.Parse("127.0.0.42"));
        for (int i = 0; i < SharedStoresCluster.SignInPerAccount; i++)
        {
            await client.Http.PostAsJsonAsync("/auth/token", new { username = "nobody-in-particular", password = "wrong password" })
                .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // From another address (its per-client budget untouched) through another instance: the
        // account's budget is spent all the same.
        IPAddress other = IPAddress.Parse("127.0.0.43");
        await ForEachInstanceAsync(other, instance =>
            AssertRateLimitedAsync(instance.Http.PostAsJsonAsync("/auth/session", new { username = "nobody-in-particular", password = "wrong password" })));
        Assert.True(client.AnsweredBy.Distinct().Count() > 1, $"Only {string.Join(", ", client.AnsweredBy.Distinct())} answered.");
    }

    [Fact]
    public async Task TheTokenEndpointBudgetPerClientHoldsAcrossInstances()
    {
        IPAddress address = IPAddress.Parse("127.0.0.44");
        using ClusterClient client = Cluster.Client(address);
        for (int i = 0; i < SharedStoresCluster.TokenPerClient; i++)
        {
            HttpResponseMessage response = await client.Http.PostAsJsonAsync("/auth/token/refresh", new { refresh_token = $"not-a-refresh-token-{i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await AssertRateLimitedAsync(client.Http.PostAsJsonAsync("/auth/token/refresh", new { refresh_token = "not-a-refresh-token" }));
        await ForEachInstanceAsync(address, instance =>
            AssertRateLimitedAsync(instance.Http.PostAsync("/oauth2/token", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", "x")]))));
        Assert.True(client.AnsweredBy.Distinct().Count() == Cluster.Instances.Count, $"Only {string.Join(", ", client.AnsweredBy.Distinct())} answered.");
    }

    private async Task ForEachInstanceAsync(IPAddress from, Func<ClusterClient, Task> check)
    {
        foreach (ServerInstance instance in Cluster.Instances)
        {
            using var direct = new ClusterClient(instance.Address, from);
            await check(direct);
        }
    }

    /// <summary>429 rate_limited with a Retry-After, answered by an instance.</summary>
    private static async Task AssertRateLimitedAsync(Task<HttpResponseMessage> sending)
    {
        HttpResponseMessage response = await sending.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After.");
        Assert.True(response.Headers.Contains(ClusterClient.InstanceHeader));
    }
}
