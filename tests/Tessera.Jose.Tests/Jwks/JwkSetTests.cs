using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>JWK Sets (RFC 7517 §5): unusable members are skipped and counted, keys are found by kid or thumbprint.</summary>
public class JwkSetTests
{
    [Fact]
    public void UnknownKeyTypesAndCurvesAreSkippedAndCounted()
    {
        string json = $$"""
            {"keys":[
              {"kty":"XYZ","kid":"future"},
              {"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
              {{TestKeys.Ec("P-256", includePrivate: false).ToJson()}},
              {"kty":"RSA","n":"AQAB","e":"AQAB"}
            ]}
            """;
        JwkSet set = JwkSet.Parse(json);
        Assert.Single(set.Keys);
        Assert.Equal(3, set.SkippedKeys);
    }

    [Theory]
    [InlineData("""[]""", JoseErrorCodes.KeyInvalid)]
    [InlineData("""{"keys":{}}""", JoseErrorCodes.KeyInvalid)]
    [InlineData("""{"jwks":[]}""", JoseErrorCodes.KeyInvalid)]
    [InlineData("""{"keys":[]""", JoseErrorCodes.Malformed)]
    [InlineData("""{"keys":[],"keys":[]}""", JoseErrorCodes.Malformed)]
    public void SomethingThatIsNotAKeySetIsRefused(string json, string code)
    {
        Assert.False(JwkSet.TryParse(json, out _, out JoseError? error));
        Assert.Equal(code, error!.Code);
    }

    [Fact]
    public void SecretKeysNextToPublicKeysAreRefused()
    {
        string json = $$"""{"keys":[{{TestKeys.Octet.ToJson(includePrivate: true)}},{{TestKeys.RsaPublic.ToJson()}}]}""";
        Assert.False(JwkSet.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
        Assert.Throws<ArgumentException>(() => JwkSet.Of(TestKeys.Octet, TestKeys.RsaPublic));
    }

    [Fact]
    public void TheKidInTheTokenSelectsTheKey()
    {
        Jwk[] keys = new[] { "a", "b", "c" }.Select(kid => Jwk.Parse(Jwk.Generate("ES256", kid).ToJson(includePrivate: true))).ToArray();
        JwkSet set = JwkSet.Parse($$"""{"keys":[{{string.Join(',', keys.Select(k => k.ToPublicJwk().ToJson()))}}]}""");

        string signedByB = JwsSigner.Sign("{}"u8, keys[1]);
        Assert.Equal("b", new JwsVerifier().Verify(signedByB, set).Key!.KeyId);
        Assert.Single(set.FindByKeyId("b").ToArray());
        Assert.Empty(set.FindByKeyId("B").ToArray());

        string claimsToBeA = JwsSigner.SignWithHeader("""{"alg":"ES256","kid":"a"}"""u8, "{}"u8, keys[1]);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(claimsToBeA, set).Error?.Code);
        string unknownKid = JwsSigner.SignWithHeader("""{"alg":"ES256","kid":"zzz"}"""u8, "{}"u8, keys[1]);
        Assert.Equal(JoseErrorCodes.KeyNotFound, new JwsVerifier().Verify(unknownKid, set).Error?.Code);
    }

    [Fact]
    public void AKeyWithoutKidIsFoundByItsThumbprint()
    {
        Jwk withoutKid = Jwk.Parse(TestKeys.RsaJson(TestKeys.RsaParameters, kid: null, includePrivate: true));
        Assert.Null(withoutKid.KeyId);
        Assert.Equal(withoutKid.Thumbprint, withoutKid.EffectiveKeyId);

        JwkSet set = JwkSet.Of(TestKeys.Ec("P-256", includePrivate: false), withoutKid.ToPublicJwk());
        string token = JwsSigner.Sign("{}"u8, withoutKid, new JwsSigningOptions { Algorithm = "PS256" });
        Assert.Contains(withoutKid.Thumbprint, System.Text.Encoding.UTF8.GetString(B64.Decode(token.Split('.')[0])), StringComparison.Ordinal);
        Assert.Single(set.FindByKeyId(withoutKid.Thumbprint).ToArray());

        JwsVerification result = new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = ["PS256", "ES256"] }).Verify(token, set);
        Assert.Null(result.Error);
        Assert.Equal(withoutKid.Thumbprint, result.Key!.EffectiveKeyId);
    }

    [Fact]
    public void ATokenWithoutKidIsTriedAgainstTheKeysThatFitItsAlgorithm()
    {
        Jwk[] keys = Enumerable.Range(0, 4).Select(i => Jwk.Generate("ES256", $"k{i}")).ToArray();
        JwkSet set = JwkSet.Of([TestKeys.RsaPublic, .. keys.Select(k => k.ToPublicJwk())]);
        string token = JwsSigner.Sign("{}"u8, keys[3], new JwsSigningOptions { IncludeKeyId = false });

        Assert.Equal("k3", new JwsVerifier().Verify(token, set).Key!.KeyId);
    }

    [Fact]
    public void AtMostEightKeysAreTriedForATokenWithoutKid()
    {
        // Deliberate: a kid-less token must not make the verifier try an unbounded number of keys.
        Jwk[] keys = Enumerable.Range(0, 9).Select(i => Jwk.Generate("ES256", $"k{i}")).ToArray();
        JwkSet set = JwkSet.Of(keys.Select(k => k.ToPublicJwk()).ToArray());

        Assert.Null(new JwsVerifier().Verify(JwsSigner.Sign("{}"u8, keys[7], new JwsSigningOptions { IncludeKeyId = false }), set).Error);
        Assert.Equal(JoseErrorCodes.SignatureInvalid,
            new JwsVerifier().Verify(JwsSigner.Sign("{}"u8, keys[8], new JwsSigningOptions { IncludeKeyId = false }), set).Error?.Code);
    }

    [Fact]
    public void APublicKeySetRoundTripsThroughJson()
    {
        JwkSet set = JwkSet.Of(TestKeys.RsaPublic, TestKeys.Ec("P-521", includePrivate: false), TestKeys.Ed25519Public);
        JwkSet copy = JwkSet.Parse(set.ToJson());

        Assert.Equal(set.ToJson(), copy.ToJson());
        Assert.Equal(0, copy.SkippedKeys);
        Assert.Equal(set.Keys.Select(k => k.Thumbprint), copy.Keys.Select(k => k.Thumbprint));
    }
}
