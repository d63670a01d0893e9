using System.Text.RegularExpressions;
using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// The documented nginx examples (docs/nginx/*.conf, copied beside the tests) made runnable here:
/// the example's upstream servers become the test's instances and its listen line a loopback
/// port; everything else is run as written. The main file around it puts every path (pid, logs,
/// temporary files) in the balancer's own folder.
/// </summary>
internal static partial class NginxConfig
{
    public const string RoundRobin = "round-robin.conf";
    public const string Sticky = "sticky.conf";

    public static string Site(string example, int listenPort, IReadOnlyList<int> upstreamPorts)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "nginx", example));
        MatchCollection servers = UpstreamServer().Matches(text);
        if (servers.Count == 0 || !ListenLine().IsMatch(text))
        {
            throw new InvalidOperationException($"{example} no longer has the upstream server lines and the listen line the tests replace.");
        }

        // Every example server line has the same parameters; the first one's are kept for all.
        string parameters = servers[0].Groups["parameters"].Value;
        string indent = servers[0].Groups["indent"].Value;
        string ours = string.Join('\n', upstreamPorts.Select(port => $"{indent}server 127.0.0.1:{port}{parameters};"));
        text = text.Remove(servers[0].Index, servers[^1].Index + servers[^1].Length - servers[0].Index).Insert(servers[0].Index, ours);
        return ListenLine().Replace(text, m => $"{m.Groups["indent"].Value}listen 127.0.0.1:{listenPort};");
    }

    public static string MainFile(string folder, string siteFile) =>
        NginxProcess.MainFile(folder, "notice", 512, $"""
                log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status';
                access_log {folder}/logs/access.log upstreams;
                include {siteFile};
            """);

    [GeneratedRegex(@"^(?<indent>[ \t]*)server 10\.0\.0\.\d+:5080(?<parameters>[^;]*);[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"^(?<indent>[ \t]*)listen 80;[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ListenLine();
}
