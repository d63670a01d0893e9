using System.Text.Json;
using JoseAlgorithm = global::Jose.JwsAlgorithm;
using JoseJwk = global::Jose.Jwk;
using JoseJwt = global::Jose.JWT;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Interop;

/// <summary>Tokens cross both ways between Tessera and jose-jwt 5.x (<c>Jose.JWT</c>).</summary>
public class JoseJwtInteropTests
{
    public static TheoryData<string> Algorithms => InteropKeys.SharedAlgorithms;

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void TokensTesseraSignsDecodeInJoseJwt(string alg)
    {
        var descriptor = new JwtDescriptor { Subject = "alice", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) };
        string token = JwtSigner.Sign(descriptor, TestKeys.PrivateFor(alg), alg);

        string payload = JoseJwt.Decode(token, InteropKeys.JoseJwt(alg, includePrivate: false), Enum.Parse<JoseAlgorithm>(alg));
        Assert.Equal("alice", JsonDocument.Parse(payload).RootElement.GetProperty("sub").GetString());

        // And with jose-jwt's own JWK type, read from Tessera's JWK.
        JoseJwk jwk = JoseJwk.FromJson(TestKeys.PublicFor(alg).ToJson(includePrivate: alg.StartsWith("HS", StringComparison.Ordinal)), JoseJwt.DefaultSettings.JsonMapper);
        Assert.Equal(payload, JoseJwt.Decode(token, jwk, Enum.Parse<JoseAlgorithm>(alg)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void TokensJoseJwtSignsValidateInTessera(string alg)
    {
        string payload = $$"""{"sub":"alice","exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""";
        string token = JoseJwt.Encode(payload, InteropKeys.JoseJwt(alg, includePrivate: true), Enum.Parse<JoseAlgorithm>(alg),
            extraHeaders: new Dictionary<string, object> { ["kid"] = InteropKeys.KeyId(alg) });

        JwtValidation result = new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = [alg] }).Validate(token, JwkSet.Of(TestKeys.PublicFor(alg)));
        Assert.Null(result.Error);
        Assert.Equal("alice", result.Claims!.Subject);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ArbitraryPayloadsCrossBetweenTheLibraries(string alg)
    {
        byte[] payload = "not JSON: \u00e9\u4e2d\0\n"u8.ToArray();
        string fromTessera = JwsSigner.Sign(payload, TestKeys.PrivateFor(alg), new JwsSigningOptions { Algorithm = alg });
        Assert.Equal(payload, JoseJwt.DecodeBytes(fromTessera, InteropKeys.JoseJwt(alg, includePrivate: false), Enum.Parse<JoseAlgorithm>(alg)));

        string fromJoseJwt = JoseJwt.EncodeBytes(payload, InteropKeys.JoseJwt(alg, includePrivate: true), Enum.Parse<JoseAlgorithm>(alg));
        Assert.Equal(payload, new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(fromJoseJwt, TestKeys.PublicFor(alg)).Payload);
    }

    [Fact]
    public void JoseJwtUnsecuredTokensAreRefusedByTessera()
    {
        string unsecured = JoseJwt.Encode("""{"sub":"admin"}""", null, JoseAlgorithm.none);
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(unsecured, TestKeys.Octet).Error?.Code);
    }

    [Fact]
    public void JoseJwtDoesNotImplementEdDsa() =>
        // If a later version adds EdDSA, this fails: add it to the shared algorithms above.
        Assert.DoesNotContain("EdDSA", Enum.GetNames<JoseAlgorithm>());
}
