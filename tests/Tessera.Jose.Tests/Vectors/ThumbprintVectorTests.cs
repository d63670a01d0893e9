using System.Text.Json;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Vectors;

/// <summary>RFC 7638 §3.1 and RFC 8037 App. A.3 thumbprints: the canonical JSON, its hash and its encoding.</summary>
public class ThumbprintVectorTests
{
    private const string Section = "thumbprints";

    public static TheoryData<string> Thumbprints => JoseVectors.Ids(Section);

    [Fact]
    public void EveryThumbprintVectorIsPresent() =>
        Assert.Equal(JoseVectors.DeclaredCount(Section), JoseVectors.Section(Section).Count());

    [Theory]
    [MemberData(nameof(Thumbprints))]
    public void ThumbprintEqualsThePublishedValue(string id)
    {
        JsonElement vector = JoseVectors.ById(Section, id);
        Jwk key = Jwk.Parse(vector.GetProperty("jwk").Raw());

        Assert.Equal(vector.RequiredString("canonical_json"), System.Text.Encoding.UTF8.GetString(JwkThumbprint.CanonicalMembers(key)));
        Assert.Equal(vector.RequiredString("thumbprint_b64url"), JwkThumbprint.Compute(key));
        Assert.Equal(vector.RequiredString("thumbprint_b64url"), key.Thumbprint);
        Assert.Equal(PublishedHash(vector), JwkThumbprint.ComputeBytes(key, System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Theory]
    [MemberData(nameof(Thumbprints))]
    public void ThumbprintIgnoresOptionalMembersAndMemberOrder(string id)
    {
        JsonElement vector = JoseVectors.ById(Section, id);
        var members = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(vector.GetProperty("jwk").Raw())!;
        members["kid"] = JsonSerializer.SerializeToElement("another-kid");
        members["use"] = JsonSerializer.SerializeToElement("sig");
        string reordered = JsonSerializer.Serialize(members.Reverse().ToDictionary(m => m.Key, m => m.Value));

        Assert.Equal(vector.RequiredString("thumbprint_b64url"), Jwk.Parse(reordered).Thumbprint);
    }

    private static byte[] PublishedHash(JsonElement vector) =>
        vector.TryGetProperty("sha256_octets", out JsonElement octets)
            ? octets.EnumerateArray().Select(o => (byte)o.GetInt32()).ToArray()
            : Convert.FromHexString(vector.RequiredString("sha256_hex"));
}
