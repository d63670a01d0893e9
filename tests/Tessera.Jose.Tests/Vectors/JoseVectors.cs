using System.Text.Json;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Vectors;

/// <summary>The entries of <c>jose-vectors.json</c> (its <c>schema</c> member documents every field), by id.</summary>
internal static class JoseVectors
{
    public const string FileName = "jose-vectors.json";

    private static JsonElement Root => VectorFiles.Load(FileName);

    public static IEnumerable<JsonElement> Section(string name) => Root.GetProperty(name).EnumerateArray();

    public static JsonElement ById(string section, string id) =>
        Section(section).Single(v => v.RequiredString("id") == id);

    public static TheoryData<string> Ids(string section, Func<JsonElement, bool>? filter = null)
    {
        var ids = new TheoryData<string>();
        foreach (JsonElement vector in Section(section).Where(filter ?? (_ => true)))
        {
            ids.Add(vector.RequiredString("id"));
        }

        return ids;
    }

    /// <summary>The count the file declares for a section, so that a truncated file cannot pass unnoticed.</summary>
    public static int DeclaredCount(string section) => Root.GetProperty("counts").GetProperty(section).GetInt32();
}
