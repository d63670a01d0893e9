using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessera.Jose.Encoding;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Properties;

/// <summary>Strict base64url: every byte string has exactly one accepted encoding.</summary>
public class Base64UrlProperties
{
    [Property(MaxTest = 500)]
    public Property AnyBytesRoundTripThroughTheirEncoding() => Prop.ForAll(JoseGen.Bytes.ToArbitrary(), bytes =>
    {
        string encoded = StrictBase64Url.Encode(bytes);
        byte[] utf8 = System.Text.Encoding.ASCII.GetBytes(encoded);
        byte[] fromUtf8 = new byte[bytes.Length];

        return encoded == B64.Url(bytes)
            && StrictBase64Url.IsCanonical(encoded)
            && StrictBase64Url.DecodeOrNull(encoded) is byte[] decoded && decoded.AsSpan().SequenceEqual(bytes)
            && StrictBase64Url.TryDecode(utf8, fromUtf8, out int written) && written == bytes.Length && fromUtf8.AsSpan().SequenceEqual(bytes)
            && StrictBase64Url.GetDecodedLength(encoded.Length) == bytes.Length;
    });

    [Property(MaxTest = 2000)]
    public Property AnyTextThatDecodesReEncodesToItself() => Prop.ForAll(JoseGen.Base64ishText.ToArbitrary(), text =>
    {
        byte[]? decoded = StrictBase64Url.DecodeOrNull(text);
        bool canonical = StrictBase64Url.IsCanonical(text);
        bool utf8Canonical = StrictBase64Url.IsCanonical(System.Text.Encoding.UTF8.GetBytes(text));

        // Accepted exactly when canonical, and then the one encoding of its bytes.
        return (decoded is not null) == canonical
            && canonical == utf8Canonical
            && (decoded is null || StrictBase64Url.Encode(decoded) == text);
    });

    [Property(MaxTest = 500)]
    public Property ChangingTheUnusedBitsOfTheLastCharacterIsRefused() => Prop.ForAll(
        JoseGen.Bytes.Where(b => b.Length % 3 != 0).ToArbitrary(),
        Gen.Choose(1, 15).ToArbitrary(),
        (bytes, noise) =>
        {
            string encoded = StrictBase64Url.Encode(bytes);
            int unusedMask = encoded.Length % 4 == 2 ? 0x0F : 0x03;
            int last = JoseGen.Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal);
            int altered = last | (noise & unusedMask);

            // The lenient framework decoder maps both to the same bytes; the strict one takes only the canonical form.
            return altered == last
                || StrictBase64Url.DecodeOrNull(encoded[..^1] + JoseGen.Alphabet[altered]) is null;
        });
}
