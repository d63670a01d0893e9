using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Jwks;

/// <summary><c>use</c> and <c>key_ops</c> (RFC 7517 §4.2–4.3) limit what a key does.</summary>
public class KeyUsageTests
{
    private static readonly string Token = JwsSigner.Sign("{}"u8, TestKeys.Ec("P-256"), new JwsSigningOptions { IncludeKeyId = false });

    private static Jwk EcWith(string members, bool includePrivate = false) =>
        Jwk.Parse(TestKeys.Ec("P-256", includePrivate).ToJson(includePrivate).Replace("{", "{" + members + ",", StringComparison.Ordinal));

    [Theory]
    [InlineData("\"use\":\"enc\"")]
    [InlineData("\"use\":\"SIG\"")]
    [InlineData("\"key_ops\":[\"encrypt\"]")]
    [InlineData("\"key_ops\":[\"sign\"]")]
    [InlineData("\"key_ops\":[]")]
    public void KeyNotMarkedForVerificationDoesNotVerify(string members) =>
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, new JwsVerifier().Verify(Token, EcWith(members)).Error?.Code);

    [Theory]
    [InlineData("\"use\":\"sig\"")]
    [InlineData("\"key_ops\":[\"verify\"]")]
    [InlineData("\"key_ops\":[\"sign\",\"verify\"]")]
    public void KeyMarkedForSignaturesVerifies(string members) =>
        Assert.Null(new JwsVerifier().Verify(Token, EcWith(members)).Error);

    [Theory]
    [InlineData("\"key_ops\":[\"verify\"]")]
    [InlineData("\"use\":\"enc\"")]
    public void KeyNotMarkedForSigningDoesNotSign(string members)
    {
        JoseException error = Assert.Throws<JoseException>(() => JwsSigner.Sign("{}"u8, EcWith(members, includePrivate: true)));
        Assert.Equal(JoseErrorCodes.AlgorithmNotAllowed, error.Code);
    }

    [Theory]
    [InlineData("\"key_ops\":\"verify\"")]
    [InlineData("\"key_ops\":[\"verify\",\"verify\"]")]
    [InlineData("\"key_ops\":[1]")]
    [InlineData("\"use\":1")]
    public void MalformedUseOrKeyOpsIsRefusedOnImport(string members)
    {
        string json = TestKeys.Ec("P-256", includePrivate: false).ToJson().Replace("{", "{" + members + ",", StringComparison.Ordinal);
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.KeyInvalid, error!.Code);
    }

    [Fact]
    public void KeyMarkedForSignaturesOnlyStillSignsAndVerifies()
    {
        Jwk key = EcWith("\"use\":\"sig\",\"key_ops\":[\"sign\",\"verify\"]", includePrivate: true);
        Assert.Null(new JwsVerifier().Verify(JwsSigner.Sign("{}"u8, key), key).Error);
    }
}
