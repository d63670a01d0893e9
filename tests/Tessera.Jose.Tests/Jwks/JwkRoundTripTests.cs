using System.Text.Json.Nodes;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>Every key type exports and re-imports without loss, in public and private form.</summary>
public class JwkRoundTripTests
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth", "r", "t"];

    public static TheoryData<string> Algorithms => new(TestKeys.Algorithms.Where(a => a != "Ed25519"));

    public static TheoryData<string> AsymmetricAlgorithms => new(TestKeys.Algorithms.Where(a => !a.StartsWith("HS", StringComparison.Ordinal) && a != "Ed25519"));

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void PrivateKeyRoundTripsThroughItsJwk(string alg)
    {
        Jwk key = TestKeys.PrivateFor(alg);
        string json = key.ToJson(includePrivate: true);
        Jwk imported = Jwk.Parse(json);

        Assert.Equal(json, imported.ToJson(includePrivate: true));
        Assert.True(imported.HasPrivateKey);
        Assert.Equal(key.Thumbprint, imported.Thumbprint);

        // The material, not just the text, survived: the copy signs what the original's public half verifies.
        string token = JwsSigner.Sign("{}"u8, imported, new JwsSigningOptions { Algorithm = alg });
        Assert.Null(new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(token, TestKeys.PublicFor(alg)).Error);
    }

    [Theory]
    [MemberData(nameof(AsymmetricAlgorithms))]
    public void PublicKeyRoundTripsThroughItsJwk(string alg)
    {
        Jwk publicKey = TestKeys.PrivateFor(alg).ToPublicJwk();
        string json = publicKey.ToJson();
        Jwk imported = Jwk.Parse(json);

        Assert.Equal(json, imported.ToJson());
        Assert.False(imported.HasPrivateKey);
        Assert.Equal(publicKey.Thumbprint, imported.Thumbprint);
        string token = JwsSigner.Sign("{}"u8, TestKeys.PrivateFor(alg), new JwsSigningOptions { Algorithm = alg });
        Assert.Null(new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(token, imported).Error);
    }

    [Theory]
    [MemberData(nameof(AsymmetricAlgorithms))]
    public void ToPublicJwkDropsEveryPrivateMember(string alg)
    {
        Jwk publicKey = TestKeys.PrivateFor(alg).ToPublicJwk();

        Assert.False(publicKey.HasPrivateKey);
        foreach (string json in new[] { publicKey.ToJson(), publicKey.ToJson(includePrivate: true) })
        {
            JsonObject members = JsonNode.Parse(json)!.AsObject();
            Assert.All(PrivateMembers, m => Assert.False(members.ContainsKey(m), $"'{m}' in {json}"));
        }

        Assert.Equal(TestKeys.PrivateFor(alg).Thumbprint, publicKey.Thumbprint);
        JoseException error = Assert.Throws<JoseException>(() => JwsSigner.Sign("{}"u8, publicKey, new JwsSigningOptions { Algorithm = alg }));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error.Code);
    }

    [Fact]
    public void PrivateMembersAreOnlyWrittenWhenAskedFor()
    {
        JsonObject members = JsonNode.Parse(TestKeys.Rsa.ToJson())!.AsObject();
        Assert.All(PrivateMembers, m => Assert.False(members.ContainsKey(m)));
    }

    [Fact]
    public void SymmetricKeyHasNoPublicForm()
    {
        Assert.Throws<InvalidOperationException>(() => TestKeys.Octet.ToPublicJwk());
        Assert.Throws<InvalidOperationException>(() => TestKeys.Octet.ToJson());
        Assert.Throws<InvalidOperationException>(() => JwkSet.Of(TestKeys.Octet).ToJson());
    }

    [Fact]
    public void MetadataSurvivesTheRoundTripAndToPublicJwk()
    {
        string json = TestKeys.Ec("P-384").ToJson(includePrivate: true)
            .Replace("{", """{"use":"sig","alg":"ES384","key_ops":["sign","verify"],""", StringComparison.Ordinal);
        Jwk key = Jwk.Parse(json);
        Jwk publicKey = Jwk.Parse(key.ToPublicJwk().ToJson());

        Assert.Equal(("ec-test-P-384", "sig", "ES384"), (publicKey.KeyId, publicKey.Use, publicKey.Algorithm));
        Assert.Equal(["sign", "verify"], key.KeyOperations);
        Assert.Equal(["verify"], publicKey.KeyOperations); // a public key cannot sign (RFC 7517 §4.3)
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("PS384")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    [InlineData("Ed25519")]
    public void GeneratedKeysCarryTheirAlgorithmAndThumbprintKid(string alg)
    {
        Jwk generated = Jwk.Generate(alg);
        Assert.Equal(alg, generated.Algorithm);
        Assert.Equal(generated.Thumbprint, generated.KeyId);
        Assert.Equal([alg], generated.PermittedAlgorithms.Select(a => a.Name));
        Assert.Equal(generated.ToJson(includePrivate: true), Jwk.Parse(generated.ToJson(includePrivate: true)).ToJson(includePrivate: true));
    }
}
