using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>EC points must lie on their curve with full-length coordinates; private scalars and seeds must match the public key.</summary>
public class EcAndOkpKeyValidationTests
{
    [Theory]
    [InlineData("P-256")]
    [InlineData("P-384")]
    [InlineData("P-521")]
    public void EcPointOffTheCurveIsRefused(string curve)
    {
        JsonObject key = PublicEc(curve);
        byte[] y = B64.Decode(key["y"]!.GetValue<string>());
        y[^1] ^= 1;
        key["y"] = B64.Url(y);
        AssertKeyInvalid(key.ToJsonString());
    }

    [Theory]
    [InlineData("P-256", -1)]
    [InlineData("P-256", 1)]
    [InlineData("P-521", -1)]
    public void EcCoordinatesOfTheWrongLengthAreRefused(string curve, int delta)
    {
        JsonObject key = PublicEc(curve);
        byte[] x = B64.Decode(key["x"]!.GetValue<string>());
        key["x"] = B64.Url(delta < 0 ? x[1..] : [0, .. x]);
        AssertKeyInvalid(key.ToJsonString());
    }

    [Fact]
    public void EcKeyWithTheWrongCurveNameIsRefused()
    {
        JsonObject key = PublicEc("P-256");
        key["crv"] = "P-384";
        AssertKeyInvalid(key.ToJsonString());
        key["crv"] = "secp256k1";
        AssertKeyInvalid(key.ToJsonString());
    }

    [Fact]
    public void EcPrivateScalarThatDoesNotMatchThePointIsRefused()
    {
        JsonObject key = JsonNode.Parse(TestKeys.Ec("P-256").ToJson(includePrivate: true))!.AsObject();
        key["d"] = B64.Url(TestKeys.EcParameters("P-384").D![..32]);
        AssertKeyInvalid(key.ToJsonString());
    }

    [Fact]
    public void Ed25519SeedThatDoesNotMatchThePublicKeyIsRefused()
    {
        JsonObject key = JsonNode.Parse(TestKeys.Ed25519.ToJson(includePrivate: true))!.AsObject();
        key["d"] = B64.Url(RandomNumberGenerator.GetBytes(32));
        AssertKeyInvalid(key.ToJsonString());
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Ed25519KeyOfTheWrongLengthIsRefused(int length) =>
        AssertKeyInvalid($$"""{"kty":"OKP","crv":"Ed25519","x":"{{B64.Url(new byte[length])}}"}""");

    [Theory]
    [InlineData("X25519")]
    [InlineData("Ed448")]
    public void OkpCurvesOtherThanEd25519AreUnsupported(string curve) =>
        AssertKeyInvalid($$"""{"kty":"OKP","crv":"{{curve}}","x":"{{B64.Url(new byte[32])}}"}""");

    [Theory]
    [InlineData("x", "padding")]
    [InlineData("y", "standard-alphabet")]
    [InlineData("d", "whitespace")]
    public void KeyMembersThatAreNotCanonicalBase64UrlAreRefused(string member, string variant)
    {
        JsonObject key = JsonNode.Parse(TestKeys.Ec("P-256").ToJson(includePrivate: true))!.AsObject();
        string value = key[member]!.GetValue<string>();
        key[member] = variant switch
        {
            "padding" => value + "=",
            "standard-alphabet" => "+" + value[1..],
            _ => value[..10] + " " + value[10..],
        };
        AssertKeyInvalid(key.ToJsonString());
    }

    private static JsonObject PublicEc(string curve) => JsonNode.Parse(TestKeys.Ec(curve, includePrivate: false).ToJson())!.AsObject();

    private static void AssertKeyInvalid(string json)
    {
        Assert.False(Jwk.TryParse(json, out Jwk? key, out JoseError? error));
        Assert.Null(key);
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
        Assert.Equal(JoseErrorCodes.KeyInvalid, Assert.Throws<JoseException>(() => Jwk.Parse(json)).Code);
    }
}
