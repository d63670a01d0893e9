using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessera.Jose.Jws;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Properties;

/// <summary>Changing any single character or byte of a signed token makes it fail.</summary>
public class TamperProperties
{
    [Property(MaxTest = 1000)]
    public Property ReplacingAnySingleCharacterMakesVerificationFail() => Prop.ForAll(
        SignedInput,
        Gen.Choose(0, int.MaxValue).ToArbitrary(),
        JoseGen.AnyTokenChar.ToArbitrary(),
        (input, position, replacement) =>
        {
            (string alg, byte[] payload) = input;
            string token = Signed(alg, payload);
            int index = position % token.Length;
            string tampered = token[..index] + replacement + token[(index + 1)..];
            return tampered == token || !Verify(alg, tampered).IsValid;
        });

    [Property(MaxTest = 1000)]
    public Property FlippingAnyBitOfAnyDecodedPartMakesVerificationFail() => Prop.ForAll(
        SignedInput,
        Gen.Choose(0, 2).ToArbitrary(),
        Gen.Choose(0, int.MaxValue).ToArbitrary(),
        (input, part, position) =>
        {
            (string alg, byte[] payload) = input;
            string[] parts = Signed(alg, payload).Split('.');
            byte[] bytes = B64.Decode(parts[part]);
            if (bytes.Length == 0)
            {
                return true; // an empty payload has no bit to flip
            }

            bytes[(position / 8) % bytes.Length] ^= (byte)(1 << (position % 8));
            parts[part] = B64.Url(bytes);
            return !Verify(alg, string.Join('.', parts)).IsValid;
        });

    [Property(MaxTest = 300)]
    public Property RemovingOrAddingACharacterMakesVerificationFail() => Prop.ForAll(
        JoseGen.Algorithm.ToArbitrary(),
        Gen.Choose(0, int.MaxValue).ToArbitrary(),
        JoseGen.AnyTokenChar.ToArbitrary(),
        (alg, position, extra) =>
        {
            string token = Signed(alg, "{\"sub\":\"alice\"}"u8.ToArray());
            int index = position % token.Length;
            return !Verify(alg, token.Remove(index, 1)).IsValid && !Verify(alg, token.Insert(index, extra.ToString())).IsValid;
        });

    /// <summary>An algorithm and a payload to sign with it.</summary>
    private static Arbitrary<(string Alg, byte[] Payload)> SignedInput { get; } =
        JoseGen.Algorithm.SelectMany(_ => JoseGen.Bytes, (alg, payload) => (alg, payload)).ToArbitrary();

    private static string Signed(string alg, byte[] payload) =>
        JwsSigner.Sign(payload, TestKeys.PrivateFor(alg), new JwsSigningOptions { Algorithm = alg });

    private static JwsVerification Verify(string alg, string token) => new JwsVerifier().Verify(token, TestKeys.PublicFor(alg));
}
