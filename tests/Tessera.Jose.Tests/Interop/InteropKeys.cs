using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Interop;

/// <summary>The shared test keys in the forms the incumbent libraries take, with the same key ids.</summary>
internal static class InteropKeys
{
    /// <summary>Every algorithm Tessera, Microsoft.IdentityModel and jose-jwt all implement (neither incumbent does EdDSA).</summary>
    public static TheoryData<string> SharedAlgorithms => new(
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    public static string Curve(string alg) => alg switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };

    public static string KeyId(string alg) => TestKeys.PrivateFor(alg).KeyId!;

    /// <summary>A Microsoft.IdentityModel key built from platform objects (not from Tessera's JWK).</summary>
    public static SecurityKey Microsoft(string alg, bool includePrivate) => alg[..2] switch
    {
        "HS" => new SymmetricSecurityKey(TestKeys.OctetSecret) { KeyId = KeyId(alg) },
        "RS" or "PS" => new RsaSecurityKey(includePrivate ? TestKeys.RsaParameters : PublicOnly(TestKeys.RsaParameters)) { KeyId = KeyId(alg) },
        _ => new ECDsaSecurityKey(ECDsa.Create(includePrivate ? TestKeys.EcParameters(Curve(alg)) : PublicOnly(TestKeys.EcParameters(Curve(alg))))) { KeyId = KeyId(alg) },
    };

    /// <summary>A jose-jwt key: the raw secret, or a platform RSA/ECDsa object.</summary>
    public static object JoseJwt(string alg, bool includePrivate) => alg[..2] switch
    {
        "HS" => TestKeys.OctetSecret,
        "RS" or "PS" => RSA.Create(includePrivate ? TestKeys.RsaParameters : PublicOnly(TestKeys.RsaParameters)),
        _ => ECDsa.Create(includePrivate ? TestKeys.EcParameters(Curve(alg)) : PublicOnly(TestKeys.EcParameters(Curve(alg)))),
    };

    private static RSAParameters PublicOnly(RSAParameters p) => new() { Modulus = p.Modulus, Exponent = p.Exponent };

    private static ECParameters PublicOnly(ECParameters p) => new() { Curve = p.Curve, Q = p.Q };
}
