using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Vectors;

/// <summary>RFC 7517 App. A and B example keys: each imports, exports its own material unchanged, and permits what its members say.</summary>
public class JwkExampleTests
{
    private const string Section = "jwk_examples";

    private static readonly string[] PublicMembers = ["kty", "kid", "use", "alg", "crv", "x", "y", "n", "e"];
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];

    public static TheoryData<string> Examples => JoseVectors.Ids(Section);

    [Fact]
    public void EveryJwkExampleIsPresent() =>
        Assert.Equal(JoseVectors.DeclaredCount(Section), JoseVectors.Section(Section).Count());

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleKeysImportAndExportTheirMaterialUnchanged(string id)
    {
        JsonElement example = JoseVectors.ById(Section, id);
        JsonElement[] published = PublishedKeys(example);
        IReadOnlyList<Jwk> keys = example.ObjectOrNull("jwks") is JsonElement set
            ? JwkSet.Parse(set.Raw()).Keys
            : [Jwk.Parse(example.GetProperty("jwk").Raw())];

        Assert.Equal(published.Length, keys.Count);
        for (int i = 0; i < published.Length; i++)
        {
            bool isPrivate = keys[i].HasPrivateKey;
            JsonObject exported = JsonNode.Parse(keys[i].ToJson(includePrivate: isPrivate))!.AsObject();
            foreach (string member in PublicMembers.Concat(isPrivate ? PrivateMembers : []))
            {
                Assert.Equal(published[i].StringOrNull(member), exported[member]?.GetValue<string>());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleKeysPermitExactlyWhatTheirAlgAndUseAllow(string id)
    {
        JsonElement example = JoseVectors.ById(Section, id);
        foreach (JsonElement published in PublishedKeys(example))
        {
            Jwk key = Jwk.Parse(published.Raw());
            string[] permitted = key.PermittedAlgorithms.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray();
            string? use = published.StringOrNull("use");
            string? alg = published.StringOrNull("alg");

            if (use is not null and not "sig")
            {
                Assert.Empty(permitted); // an encryption key never verifies signatures
            }
            else if (alg is not null)
            {
                // A declared alg is the only one; a JWE alg (A128KW) leaves no JWS algorithm at all.
                Assert.Equal(JwsAlgorithms.All.ContainsKey(alg) ? [alg] : [], permitted);
            }
            else
            {
                Assert.NotEmpty(permitted);
                Assert.All(permitted, name => Assert.Equal(key.KeyType, JwsAlgorithms.All[name].KeyType));
            }
        }
    }

    private static JsonElement[] PublishedKeys(JsonElement example) =>
        example.ObjectOrNull("jwks") is JsonElement set
            ? set.GetProperty("keys").EnumerateArray().ToArray()
            : [example.GetProperty("jwk")];
}
