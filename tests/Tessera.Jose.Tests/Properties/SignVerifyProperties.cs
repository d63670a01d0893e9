using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Properties;

/// <summary>Whatever the payload and algorithm, what Tessera signs it verifies, and nothing else.</summary>
public class SignVerifyProperties
{
    [Property(MaxTest = 200)]
    public Property AnyPayloadSignedWithAnyAlgorithmVerifiesToTheSamePayload() => Prop.ForAll(
        JoseGen.Algorithm.ToArbitrary(),
        JoseGen.Bytes.ToArbitrary(),
        (alg, payload) =>
        {
            string token = JwsSigner.Sign(payload, TestKeys.PrivateFor(alg), new JwsSigningOptions { Algorithm = alg });
            JwsVerification result = new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(token, TestKeys.PublicFor(alg));
            return result.IsValid && result.Algorithm!.Name == alg && result.Payload!.AsSpan().SequenceEqual(payload);
        });

    [Property(MaxTest = 200)]
    public Property AnySubjectSurvivesAJwtRoundTrip() => Prop.ForAll(
        JoseGen.Algorithm.ToArbitrary(),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).ToArbitrary(),
        (alg, subject) =>
        {
            var descriptor = new JwtDescriptor { Subject = subject, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) };
            string token = JwtSigner.Sign(descriptor, TestKeys.PrivateFor(alg), alg);
            JwtValidation result = new JwtValidator(new JwtValidationPolicy { AllowedAlgorithms = [alg] }).Validate(token, TestKeys.PublicFor(alg));

            // Lone surrogates cannot be UTF-8; the writer replaces them, and that is what must come back.
            string expected = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(subject));
            return result.IsValid && result.Claims!.Subject == expected;
        });

    [Property(MaxTest = 100)]
    public Property ATokenVerifiesOnlyWithTheKeyThatSignedIt() => Prop.ForAll(
        JoseGen.Algorithm.ToArbitrary(),
        JoseGen.Bytes.ToArbitrary(),
        (alg, payload) =>
        {
            string token = JwsSigner.Sign(payload, TestKeys.PrivateFor(alg), new JwsSigningOptions { Algorithm = alg, IncludeKeyId = false });
            JwsVerification result = new JwsVerifier(new JwsVerificationOptions { AllowedAlgorithms = [alg] }).Verify(token, TestKeys.StrangerFor(alg));
            return result.Error?.Code == JoseErrorCodes.SignatureInvalid;
        });
}
