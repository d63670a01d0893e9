using FsCheck;
using FsCheck.Fluent;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Properties;

/// <summary>Generators for the property tests.</summary>
internal static class JoseGen
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static Gen<byte[]> Bytes { get; } = ArbMap.Default.GeneratorFor<byte[]>();

    public static Gen<string> Algorithm { get; } = Gen.Elements(TestKeys.Algorithms.ToArray());

    /// <summary>Mostly alphabet characters, sometimes the ones a lenient decoder tolerates.</summary>
    public static Gen<string> Base64ishText { get; } = Gen.Frequency(
            (40, Gen.Elements(Alphabet.ToCharArray())),
            (1, Gen.Elements('=', '+', '/', ' ', '\n', '.', '\u00e9', '\0')))
        .ArrayOf()
        .Select(chars => new string(chars));

    /// <summary>Any character a token could be corrupted with: the alphabet, separators, padding, whitespace, non-ASCII.</summary>
    public static Gen<char> AnyTokenChar { get; } = Gen.Elements((Alphabet + ".=+/ \t\n\u00e9\u2028\0").ToCharArray());
}
