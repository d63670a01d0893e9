using System.Net;
using System.Text.Json;
using Tessera.Cluster.Tests.Support;

namespace Tessera.Cluster.Tests;

/// <summary>
/// Real nginx in front of the real server; the client connects from 127.0.0.2, nginx from
/// 127.0.0.1. Only a configured proxy's X-Forwarded-For reaches the session list.
/// </summary>
public sealed class ForwardedHeadersThroughNginxTests
{
    private static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.2");

    // The other cases (networks, chains, nothing configured, X-Forwarded-Proto) are covered in
    // process by Tessera.Server.Tests' ForwardedHeadersTests; each case here starts a server.
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.2")]
    [InlineData("10.9.9.9", "127.0.0.1")]
    public async Task TheSessionListShowsTheClientOnlyWhenTheBalancerIsTrusted(string knownProxy, string expectedAddress)
    {
        await using BalancedCluster cluster = await BalancedCluster.StartAsync(NginxConfig.RoundRobin, 1, new Dictionary<string, string>
        {
            ["Tessera:ForwardedHeaders:KnownProxies:0"] = knownProxy,
        });
        using ClusterClient client = cluster.Client(ClientAddress);

        await client.SignUpAndInAsync("alice");
        JsonElement sessions = (await client.Http.GetAsync("/auth/sessions").JsonAsync()).GetProperty("sessions");

        Assert.Equal(expectedAddress, Assert.Single(sessions.EnumerateArray()).GetProperty("ip").GetString());
        Assert.Contains("127.0.0.2 \"POST /auth/session", cluster.Balancer.AccessLog, StringComparison.Ordinal);
    }
}
