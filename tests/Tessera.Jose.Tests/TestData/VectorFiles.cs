using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Tessera.Jose.Tests.TestData;

/// <summary>
/// Locates and reads the published vectors. They live in tests/vectors in the repository
/// (its absolute path is baked into the test assembly by the csproj).
/// </summary>
internal static class VectorFiles
{
    private static readonly Lazy<string> Root = new(Locate);
    private static readonly ConcurrentDictionary<string, JsonElement> Cache = new(StringComparer.Ordinal);

    /// <summary>The absolute path of a file under the shared vectors folder, e.g. <c>wycheproof/json_web_key_test.json</c>.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root.Value, relativePath);

    /// <summary>The parsed root of a vector file, read once per test run.</summary>
    public static JsonElement Load(string relativePath) => Cache.GetOrAdd(relativePath, static path =>
    {
        string fullPath = PathOf(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Vector file '{path}' is missing from the vectors folder '{Root.Value}'.", fullPath);
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(fullPath));
        return document.RootElement.Clone();
    });

    private static string Locate()
    {
        string? directory = typeof(VectorFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SharedVectorsDir")?.Value;
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            throw new InvalidOperationException(
                $"The vectors folder '{directory}' does not exist; the tests read the published vectors from tests/vectors.");
        }

        return directory;
    }
}
