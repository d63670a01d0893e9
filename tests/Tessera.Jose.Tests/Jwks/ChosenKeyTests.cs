using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>
/// A key the caller hands over directly is the key to use: the token's <c>kid</c> selects among the
/// keys of a set, but cannot veto an explicit choice. In a set, <c>kid</c> still has to match.
/// </summary>
public class ChosenKeyTests
{
    private static readonly Jwk Signer = Jwk.Generate("ES256", keyId: "signing-key");
    private static readonly Jwk SameKeyOtherKid = Jwk.Parse(Signer.ToPublicJwk().ToJson().Replace("signing-key", "renamed", StringComparison.Ordinal));

    [Fact]
    public void ASingleChosenKeyVerifiesWhateverKidTheTokenNames()
    {
        string token = JwsSigner.Sign("{}"u8, Signer);

        JwsVerification result = new JwsVerifier().Verify(token, SameKeyOtherKid);

        Assert.Null(result.Error);
        Assert.Same(SameKeyOtherKid, result.Key);
    }

    [Fact]
    public void InAKeySetTheKidMustStillMatch()
    {
        string token = JwsSigner.Sign("{}"u8, Signer);

        JwsVerification result = new JwsVerifier().Verify(token, JwkSet.Of(SameKeyOtherKid));

        Assert.Equal(JoseErrorCodes.KeyNotFound, result.Error?.Code);
    }

    [Fact]
    public void ASingleChosenKeyStillRefusesAnotherKeysSignature()
    {
        string token = JwsSigner.Sign("{}"u8, Jwk.Generate("ES256", keyId: "renamed"));

        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(token, SameKeyOtherKid).Error?.Code);
    }

    [Fact]
    public void ThePublicHalfOfASignOnlyKeyMayVerify()
    {
        Jwk signOnly = Jwk.Parse(Signer.ToJson(includePrivate: true).Replace("\"kty\"", "\"key_ops\":[\"sign\"],\"kty\"", StringComparison.Ordinal));
        Jwk verifier = signOnly.ToPublicJwk();

        Assert.Equal(["verify"], verifier.KeyOperations);
        Assert.Null(new JwsVerifier().Verify(JwsSigner.Sign("{}"u8, signOnly), verifier).Error);
    }
}
