using System.Text.Json;

namespace Tessera.LoadBench;

/// <summary>One way instance B checks, as the revocation-latency run reports it (median and p99 in µs).</summary>
public sealed record RevocationLatencyCell(string Mode, int Samples, double MedianMicroseconds, double P99Microseconds);

/// <summary>What the concepts table takes from the revocation-latency run's file.</summary>
public sealed record RevocationLatencyMeasured(string Command, bool Quick, DateTimeOffset RanAt, IReadOnlyList<RevocationLatencyCell> Results);

/// <summary>
/// The revocation latency across two instances is its own run (<c>--revocation-latency</c>,
/// RevocationLatency.cs, issue #13 branch pushed), writing <see cref="FileName"/> beside the load
/// results. The concepts table reads that file's fields when it is there (by name, so this code
/// does not depend on that run's types); otherwise its cells say "not measured in this run".
/// </summary>
public static class ConceptsRevocationLatency
{
    public const string FileName = "revocation-latency.json";

    /// <summary>The run's modes: B's pushed revocation list, B's near cache, B polling Redis.</summary>
    public const string PushedList = "pushed list";
    public const string NearCache = "near cache";
    public const string Polled = "polled";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The file in <paramref name="folder"/>, or null when missing or not readable as that run's output.</summary>
    public static RevocationLatencyMeasured? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            RevocationLatencyMeasured? measured = JsonSerializer.Deserialize<RevocationLatencyMeasured>(File.ReadAllText(path), Json);
            return measured is { Results.Count: > 0, Command: not null } ? measured : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
