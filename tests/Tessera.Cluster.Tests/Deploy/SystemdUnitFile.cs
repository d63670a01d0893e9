namespace Tessera.Cluster.Tests.Deploy;

/// <summary>
/// The keys of a systemd unit file as systemd reads them (systemd.syntax(7)): sections, <c>Key=value</c>
/// lines, <c>#</c> and <c>;</c> comments; a key may repeat. Enough to read deploy/systemd/tessera.service's
/// settings into a test's server; <c>systemd-analyze verify</c> checks the file itself.
/// </summary>
internal sealed class SystemdUnitFile
{
    private readonly List<(string Section, string Key, string Value)> _entries;

    private SystemdUnitFile(List<(string Section, string Key, string Value)> entries) => _entries = entries;

    public static SystemdUnitFile Read(string path)
    {
        var entries = new List<(string, string, string)>();
        string section = "";
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException($"{path}: not a Key=value line: {line}");
            }

            entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return new SystemdUnitFile(entries);
    }

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in order.</summary>
    public IReadOnlyList<string> Values(string section, string key) =>
        [.. _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    /// <summary>The service's <c>Environment=</c> variables (unquoted <c>NAME=value</c> assignments).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Values("Service", "Environment").Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
