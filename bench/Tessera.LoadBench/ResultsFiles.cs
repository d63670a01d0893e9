using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.LoadBench;

/// <summary>The machine-readable results and the chart, written side by side.</summary>
public static class ResultsFiles
{
    public const string JsonName = "load-results.json";
    public const string SvgName = "load-chart.svg";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The results a run wrote to <paramref name="folder"/>, read back as they were written.</summary>
    public static LoadBenchResults Read(string folder)
    {
        string path = Path.Combine(folder, JsonName);
        return JsonSerializer.Deserialize<LoadBenchResults>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} holds no results");
    }

    public static void Write(LoadBenchResults results, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, JsonName), JsonSerializer.Serialize(results, Json) + "\n");
        File.WriteAllText(Path.Combine(folder, SvgName), SvgChart.Render(results));
    }
}
