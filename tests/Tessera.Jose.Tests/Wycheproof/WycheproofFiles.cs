using System.Collections.Concurrent;
using System.Text.Json;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>Reads the Wycheproof JOSE files and decides, case by case, whether Tessera can run it.</summary>
internal static class WycheproofFiles
{
    public const string Signature = "json_web_signature_test.json";
    public const string Key = "json_web_key_test.json";
    public const string Crypto = "json_web_crypto_test.json";

    public const string JweReason = "JWE (RFC 7516): Tessera implements JWS only";
    public const string JsonSerializationReason = "JSON serialization: Tessera accepts the compact serialization only";

    private static readonly ConcurrentDictionary<string, IReadOnlyList<WycheproofCase>> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<WycheproofCase> Cases(string file) => Cache.GetOrAdd(file, Load);

    public static WycheproofCase Case(string file, int tcId) => Cases(file).Single(c => c.TcId == tcId);

    /// <summary>The <c>numberOfTests</c> the file declares.</summary>
    public static int DeclaredCount(string file) => Root(file).GetProperty("numberOfTests").GetInt32();

    /// <summary>Theory rows (tcId, comment) for the cases Tessera runs.</summary>
    public static TheoryData<int, string> Runnable(string file)
    {
        var rows = new TheoryData<int, string>();
        foreach (WycheproofCase c in Cases(file).Where(c => c.IsRunnable))
        {
            rows.Add(c.TcId, c.Comment);
        }

        return rows;
    }

    private static JsonElement Root(string file) => VectorFiles.Load("wycheproof/" + file);

    private static IReadOnlyList<WycheproofCase> Load(string file)
    {
        var cases = new List<WycheproofCase>();
        foreach (JsonElement group in Root(file).GetProperty("testGroups").EnumerateArray())
        {
            JsonElement key = group.TryGetProperty("public", out JsonElement publicKey) ? publicKey : group.GetProperty("private");
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                string[] flags = test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
                bool isJwe = test.TryGetProperty("jwe", out JsonElement token);
                if (!isJwe)
                {
                    token = test.GetProperty("jws");
                }

                string? skip = isJwe ? JweReason
                    : flags.Contains("JsonSerialization") ? JsonSerializationReason
                    : null;
                string? compact = token.ValueKind == JsonValueKind.String ? token.GetString() : null;
                if (skip is null && compact is null)
                {
                    throw new InvalidOperationException($"{file} #{test.GetProperty("tcId").GetInt32()}: a JSON-serialized JWS without the JsonSerialization flag");
                }

                cases.Add(new WycheproofCase(
                    file,
                    test.GetProperty("tcId").GetInt32(),
                    test.GetProperty("comment").GetString()!,
                    test.GetProperty("result").GetString()!,
                    flags,
                    compact,
                    token.Clone(),
                    key.Clone(),
                    skip));
            }
        }

        return cases;
    }
}
