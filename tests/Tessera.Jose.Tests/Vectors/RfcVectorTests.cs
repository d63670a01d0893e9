using System.Text.Json;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Vectors;

/// <summary>
/// The compact JWS vectors of RFC 7515 App. A, RFC 7520 §4.1–4.5 and RFC 8037 App. A. Deterministic
/// algorithms must reproduce the published serialization byte for byte from the exact header
/// bytes; randomized ones must verify; the unsecured one must be refused.
/// </summary>
public class RfcVectorTests
{
    private const string Section = "vectors";

    public static TheoryData<string> Deterministic =>
        JoseVectors.Ids(Section, v => IsValid(v) && v.GetProperty("deterministic").GetBoolean());

    public static TheoryData<string> Randomized =>
        JoseVectors.Ids(Section, v => IsValid(v) && !v.GetProperty("deterministic").GetBoolean());

    public static TheoryData<string> Rejected => JoseVectors.Ids(Section, v => !IsValid(v));

    [Fact]
    public void EveryPublishedVectorIsExercisedByExactlyOneTheory()
    {
        string[] all = JoseVectors.Section(Section).Select(v => v.RequiredString("id")).ToArray();
        string[] covered = Deterministic.Concat<object[]>(Randomized).Concat(Rejected).Select(row => (string)row[0]).ToArray();

        Assert.Equal(JoseVectors.DeclaredCount(Section), all.Length);
        Assert.Equal(all.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Deterministic))]
    public void DeterministicVectorIsReproducedExactlyFromItsHeaderBytes(string id)
    {
        JsonElement vector = JoseVectors.ById(Section, id);
        (byte[] header, byte[] payload) = HeaderAndPayload(vector);
        Jwk key = Jwk.Parse(vector.GetProperty("jwk").Raw());

        string produced = JwsSigner.SignWithHeader(header, payload, key);

        // Detached content (RFC 7520 §4.5) signs the same input; only the serialization leaves the payload out.
        string attached = vector.RequiredString("signing_input") + "." + vector.RequiredString("signature_b64");
        Assert.Equal(attached, produced);
        Assert.Equal(vector.RequiredString("compact"), IsDetached(vector) ? Detach(produced) : produced);

        JwsVerification verification = new JwsVerifier().Verify(produced, VerificationKey(vector, key));
        Assert.Null(verification.Error);
        Assert.Equal(payload, verification.Payload);
        Assert.Equal(vector.RequiredString("alg"), verification.Algorithm!.Name);

        if (IsDetached(vector))
        {
            // Tessera has no detached-content API (deliberate): the detached form as published
            // verifies an empty payload against a signature over the real one, and fails.
            Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(vector.RequiredString("compact"), VerificationKey(vector, key)).Error?.Code);
        }
    }

    [Theory]
    [MemberData(nameof(Randomized))]
    public void RandomizedVectorVerifiesAndFreshSignaturesVerifyToo(string id)
    {
        JsonElement vector = JoseVectors.ById(Section, id);
        (byte[] header, byte[] payload) = HeaderAndPayload(vector);
        Jwk key = Jwk.Parse(vector.GetProperty("jwk").Raw());
        Jwk verifier = VerificationKey(vector, key);

        // The RFC 7520 keys name no alg: the verifier names the vector's (RFC 8725 §3.1).
        var named = new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [vector.RequiredString("alg")] });
        JwsVerification published = named.Verify(vector.RequiredString("compact"), verifier);
        Assert.Null(published.Error);
        Assert.Equal(payload, published.Payload);

        // Signing again with the RFC's key gives a different signature (a fresh nonce or salt)
        // over the same input, and it verifies.
        string fresh = JwsSigner.SignWithHeader(header, payload, key);
        Assert.StartsWith(vector.RequiredString("signing_input") + ".", fresh, StringComparison.Ordinal);
        Assert.NotEqual(vector.RequiredString("compact"), fresh);
        Assert.Null(named.Verify(fresh, verifier).Error);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void UnsecuredVectorIsRefusedWhateverTheKeysAndPolicy(string id)
    {
        JsonElement vector = JoseVectors.ById(Section, id);
        string compact = vector.RequiredString("compact");

        // Any key a verifier might hold: the RFC's own HMAC and RSA example keys.
        Jwk hmac = Jwk.Parse(JoseVectors.ById(Section, "rfc7515-A.1").GetProperty("jwk").Raw());
        Jwk rsa = Jwk.Parse(JoseVectors.ById(Section, "rfc7515-A.2").GetProperty("jwk").Raw()).ToPublicJwk();
        foreach (Jwk key in new[] { hmac, rsa })
        {
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(compact, key).Error?.Code);
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
                new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["HS256", "RS256"] }).Verify(compact, key).Error?.Code);
            Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed,
                new JwtValidator(new JwtValidationPolicy { RequiredClaims = [] }).Validate(compact, key).Error?.Code);
        }
    }

    private static bool IsValid(JsonElement vector) => vector.RequiredString("expected") == "valid";

    private static bool IsDetached(JsonElement vector) => vector.RequiredString("compact").Contains("..", StringComparison.Ordinal);

    private static string Detach(string compact)
    {
        string[] parts = compact.Split('.');
        return parts[0] + ".." + parts[2];
    }

    private static (byte[] Header, byte[] Payload) HeaderAndPayload(JsonElement vector)
    {
        byte[] header = System.Text.Encoding.UTF8.GetBytes(vector.RequiredString("protected_header_json"));
        byte[] payload = System.Text.Encoding.UTF8.GetBytes(vector.RequiredString("payload_text"));

        // The vector's own consistency: its header and payload text encode to its base64url parts.
        Assert.Equal(vector.RequiredString("protected_header_b64"), StrictBase64Url.Encode(header));
        Assert.Equal(vector.RequiredString("payload_b64"), StrictBase64Url.Encode(payload));
        return (header, payload);
    }

    /// <summary>The key a verifier holds: the published public JWK when there is one, else the public half (or the secret).</summary>
    private static Jwk VerificationKey(JsonElement vector, Jwk privateKey)
    {
        if (vector.ObjectOrNull("jwk_public") is JsonElement published)
        {
            return Jwk.Parse(published.Raw());
        }

        return privateKey.KeyType == JwkKeyType.Octet ? privateKey : privateKey.ToPublicJwk();
    }
}
