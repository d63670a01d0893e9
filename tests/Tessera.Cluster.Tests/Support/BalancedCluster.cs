using System.Net;
using System.Text;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// N Tessera server processes (<c>tessera-1</c> … <c>tessera-N</c>) behind one nginx running a
/// documented example configuration. Instances trust the balancer's forwarded headers.
/// </summary>
public sealed class BalancedCluster : IAsyncDisposable
{
    private BalancedCluster(IReadOnlyList<ServerInstance> instances, NginxBalancer balancer)
    {
        Instances = instances;
        Balancer = balancer;
    }

    public IReadOnlyList<ServerInstance> Instances { get; }

    public NginxBalancer Balancer { get; }

    /// <summary>Starts the instances side by side, then the balancer in front of them.</summary>
    public static async Task<BalancedCluster> StartAsync(string example, int size, IReadOnlyDictionary<string, string>? settings = null)
    {
        Dictionary<string, string> all = new() { ["Tessera:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" };
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Task<ServerInstance>[] starting = [.. Enumerable.Range(1, size).Select(i => ServerInstance.StartAsync($"tessera-{i}", all))];
        try
        {
            ServerInstance[] instances = await Task.WhenAll(starting);
            return new BalancedCluster(instances, await NginxBalancer.StartAsync(example, [.. instances.Select(i => i.Port)]));
        }
        catch
        {
            foreach (Task<ServerInstance> start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    public ClusterClient Client(IPAddress? localAddress = null) => new(Balancer.Address, localAddress);

    public ServerInstance Instance(string name) => Instances.Single(i => i.Name == name);

    /// <summary>The balancer's logs and every instance's output, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine("nginx access log:").AppendLine(Balancer.AccessLog).AppendLine("nginx error log:").AppendLine(Balancer.ErrorLog);
        foreach (ServerInstance instance in Instances)
        {
            text.AppendLine($"{instance.Name} output:").AppendLine(instance.Output);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Balancer.DisposeAsync();
        foreach (ServerInstance instance in Instances)
        {
            await instance.DisposeAsync();
        }
    }
}
