using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;
using Xunit.Abstractions;

namespace Tessera.Jose.Tests.Vectors;

/// <summary>
/// RFC 7520 §4.6–4.8 exist only in the JSON serializations, which Tessera does not accept. A
/// signature with a protected header still covers exactly <c>protected.payload</c>, so it is
/// rebuilt as a compact JWS and verified; a signature whose <c>alg</c> is only in the unprotected
/// header has no compact form and is counted as skipped, with the reason.
/// </summary>
public class JsonSerializationVectorTests(ITestOutputHelper output)
{
    private const string Section = "json_serialization_only";

    /// <summary>4.7's only signature and 4.8's ES512 signature carry no protected header.</summary>
    private const int ExpectedSkipped = 2;

    public static TheoryData<string, int> Verifiable => Signatures(runnable: true);

    [Fact]
    public void SignaturesWithoutCompactFormAreCountedAsSkippedWithTheirReason()
    {
        Assert.Equal(JoseVectors.DeclaredCount(Section), JoseVectors.Section(Section).Count());

        TheoryData<string, int> skipped = Signatures(runnable: false);
        foreach (object[] row in skipped)
        {
            var (id, index) = ((string)row[0], (int)row[1]);
            output.WriteLine($"skipped {id} signature {index}: 'alg' is only in the unprotected header, so no compact JWS carries this signature");

            // What a compact-only verifier sees if someone forces it into the compact shape: refused.
            JsonElement signature = SignatureAt(id, index);
            string forced = "." + Payload(id) + "." + signature.RequiredString("signature");
            Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(forced, Keys(id)[0]).Error?.Code);
        }

        output.WriteLine($"{Verifiable.Count()} signatures verified through their compact form, {skipped.Count()} skipped");
        Assert.Equal(ExpectedSkipped, skipped.Count());
    }

    [Theory]
    [MemberData(nameof(Verifiable))]
    public void ProtectedSignatureVerifiesAsTheEquivalentCompactJws(string id, int index)
    {
        JsonElement signature = SignatureAt(id, index);
        string protectedHeader = signature.RequiredString("protected");
        string compact = protectedHeader + "." + Payload(id) + "." + signature.RequiredString("signature");

        using JsonDocument header = JsonDocument.Parse(B64.Decode(protectedHeader));
        JsonElement? unprotected = signature.ObjectOrNull("header");
        string alg = header.RootElement.RequiredString("alg");
        string? kid = header.RootElement.StringOrNull("kid") ?? unprotected?.StringOrNull("kid");

        // The key the JWS names: its kid (which may sit in the unprotected header) and its alg's key type.
        Jwk key = Keys(id).Single(k => k.KeyId == kid && k.KeyType == JwsAlgorithms.All[alg].KeyType);
        Jwk verifier = key.KeyType == JwkKeyType.Octet ? key : key.ToPublicJwk();

        JwsVerification result = new JwsVerifier().Verify(compact, verifier);
        Assert.Null(result.Error);
        Assert.Equal(alg, result.Algorithm!.Name);
        Assert.Equal(B64.Decode(Payload(id)), result.Payload);
    }

    [Theory]
    [MemberData(nameof(Verifiable))]
    public void FlattenedFormAgreesWithTheGeneralForm(string id, int index)
    {
        JsonElement entry = JoseVectors.ById(Section, id);
        if (entry.ObjectOrNull("flattened_json") is not JsonElement flattened)
        {
            // 4.8 has several signatures, so it has no flattened form; nothing to compare.
            Assert.True(entry.GetProperty("general_json").GetProperty("signatures").GetArrayLength() > 1);
            return;
        }

        JsonElement signature = SignatureAt(id, index);
        Assert.Equal(Payload(id), flattened.RequiredString("payload"));
        Assert.Equal(signature.RequiredString("protected"), flattened.RequiredString("protected"));
        Assert.Equal(signature.RequiredString("signature"), flattened.RequiredString("signature"));
    }

    private static TheoryData<string, int> Signatures(bool runnable)
    {
        var rows = new TheoryData<string, int>();
        foreach (JsonElement entry in JoseVectors.Section(Section))
        {
            JsonElement[] signatures = entry.GetProperty("general_json").GetProperty("signatures").EnumerateArray().ToArray();
            for (int i = 0; i < signatures.Length; i++)
            {
                if (signatures[i].StringOrNull("protected") is not null == runnable)
                {
                    rows.Add(entry.RequiredString("id"), i);
                }
            }
        }

        return rows;
    }

    private static JsonElement SignatureAt(string id, int index) =>
        JoseVectors.ById(Section, id).GetProperty("general_json").GetProperty("signatures")[index];

    private static string Payload(string id) =>
        JoseVectors.ById(Section, id).GetProperty("general_json").RequiredString("payload");

    private static Jwk[] Keys(string id) =>
        JoseVectors.ById(Section, id).GetProperty("keys").EnumerateArray().Select(k => Jwk.Parse(k.Raw())).ToArray();
}
