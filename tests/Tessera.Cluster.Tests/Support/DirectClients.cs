namespace Tessera.Cluster.Tests.Support;

/// <summary>One client per instance, bypassing the balancer: to ask every instance, not whichever nginx picks.</summary>
public sealed class DirectClients(BalancedCluster cluster) : IDisposable
{
    public IReadOnlyList<ClusterClient> Clients { get; } = [.. cluster.Instances.Select(i => new ClusterClient(i.Address))];

    public void Dispose()
    {
        foreach (ClusterClient client in Clients)
        {
            client.Dispose();
        }
    }
}
