using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// Debian's nginx as a load balancer on a free 127.0.0.1 port (<see cref="NginxProcess"/>: its own
/// folder, nothing from /etc/nginx), killed and its folder deleted when disposed.
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private readonly NginxProcess _nginx;

    private NginxBalancer(NginxProcess nginx) => _nginx = nginx;

    public string Folder => _nginx.Folder;

    public int Port => _nginx.Port;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>One line per request: client, request, status, the upstreams tried and their statuses.</summary>
    public string AccessLog => _nginx.AccessLog;

    public string ErrorLog => _nginx.ErrorLog;

    /// <summary>Starts nginx with the documented <paramref name="example"/> in front of <paramref name="upstreamPorts"/>.</summary>
    public static Task<NginxBalancer> StartAsync(string example, IReadOnlyList<int> upstreamPorts)
    {
        int port = LoopbackPort.Free();
        return StartSiteAsync(NginxConfig.Site(example, port, upstreamPorts), port);
    }

    /// <summary>
    /// Starts nginx with <paramref name="siteText"/>, an http-block fragment that listens on
    /// 127.0.0.1:<paramref name="port"/> (and maybe elsewhere); returns once that port accepts.
    /// </summary>
    public static async Task<NginxBalancer> StartSiteAsync(string siteText, int port)
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-cluster-tests", "nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        string site = Path.Combine(folder, "tessera.conf");
        await File.WriteAllTextAsync(site, siteText);
        return new NginxBalancer(await NginxProcess.StartAsync(folder, port, NginxConfig.MainFile(folder, site)));
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
