using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Jwks;

/// <summary>
/// The ROCA check (CVE-2017-15361) recognises moduli built the flawed way — primes of the form
/// k·M + (65537^a mod M), M a primorial — and nothing else. Moduli of that form are built here from
/// the definition, independently of the library's table.
/// </summary>
public class RocaFingerprintTests
{
    private static readonly int[] SmallPrimes =
        [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];

    private static readonly BigInteger Primorial = SmallPrimes.Aggregate(BigInteger.One, (m, p) => m * p);

    private static readonly Gen<BigInteger> Multiplier = ArbMap.Default.GeneratorFor<ulong>().Select(k => new BigInteger(k) + 1);

    [Property(MaxTest = 200)]
    public Property ModuliBuiltTheFlawedWayMatch() => Prop.ForAll(
        Multiplier.ToArbitrary(), Multiplier.ToArbitrary(), Gen.Choose(1, 1 << 20).Two().ToArbitrary(),
        (k, l, exponents) =>
        {
            BigInteger p = (k * Primorial) + BigInteger.ModPow(65537, exponents.Item1, Primorial);
            BigInteger q = (l * Primorial) + BigInteger.ModPow(65537, exponents.Item2, Primorial);
            return RocaFingerprint.Matches((p * q).ToByteArray(isUnsigned: true, isBigEndian: true));
        });

    [Property(MaxTest = 1000)]
    public Property RandomOddModuliDoNotMatch() => Prop.ForAll(
        ArbMap.Default.GeneratorFor<byte[]>().Select(b => b.Length == 0 ? new byte[] { 1 } : b).ToArbitrary(),
        bytes =>
        {
            // Pad to a 2048-bit odd number; the fingerprint has a false-positive rate far below 1 in 10^9.
            byte[] modulus = new byte[256];
            System.Security.Cryptography.SHA512.HashData(bytes).CopyTo(modulus, 0);
            bytes.AsSpan(0, Math.Min(bytes.Length, 192)).CopyTo(modulus.AsSpan(64));
            modulus[0] |= 0x80;
            modulus[^1] |= 1;
            return !RocaFingerprint.Matches(modulus);
        });
}
