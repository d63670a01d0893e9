using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>One line of <c>CLUSTER NODES</c>: <c>id ip:port@bus[,host] flags primary-id ping pong epoch link slot…</c> (Redis documentation, CLUSTER NODES).</summary>
public sealed record RedisClusterNodeState(string Id, int Port, bool IsMyself, bool IsPrimary, bool IsFailed, string? PrimaryId, IReadOnlyList<(int From, int To)> Slots)
{
    /// <summary>Parses the whole answer.</summary>
    public static IReadOnlyList<RedisClusterNodeState> Parse(string answer) =>
        [.. answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseLine)];

    private static RedisClusterNodeState ParseLine(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string address = parts[1].Split('@')[0];
        int port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        string[] flags = parts[2].Split(',');
        var slots = new List<(int, int)>();
        foreach (string range in parts.Skip(8).Where(p => !p.StartsWith('[')))
        {
            string[] ends = range.Split('-');
            int from = int.Parse(ends[0], CultureInfo.InvariantCulture);
            slots.Add((from, ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : from));
        }

        return new RedisClusterNodeState(
            parts[0], port, flags.Contains("myself"), flags.Contains("master"),
            flags.Contains("fail") || flags.Contains("fail?") || flags.Contains("noaddr"),
            parts[3] == "-" ? null : parts[3], slots);
    }
}
