using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// Every part must be canonical unpadded base64url (RFC 7515 §2): no padding, whitespace, or
/// characters from the standard alphabet, and zero unused trailing bits. Each variant is MACed over
/// its own (altered) signing input, so the encoding is the only thing wrong with it.
/// </summary>
public class Base64CanonicalTests
{
    // Header and payload lengths chosen so that each encoded part has a partial final quantum.
    private const string Header = """{"alg":"HS256","kid":"oct-test"}""";
    private const string Payload = """{"exp":4102444800,"sub":"al"}""";

    public static TheoryData<int, string> Variants
    {
        get
        {
            var rows = new TheoryData<int, string>();
            foreach (int part in new[] { 0, 1, 2 })
            {
                foreach (string variant in new[] { "padding", "space", "newline", "tab", "plus", "slash", "trailing-bits" })
                {
                    rows.Add(part, variant);
                }
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void NonCanonicalBase64UrlIsRefusedInEachPart(int part, string variant)
    {
        string canonical = RawJws.Hmac(Header, Payload, TestKeys.OctetSecret);
        string[] parts = canonical.Split('.');
        Assert.All(parts, p => Assert.NotEqual(0, p.Length % 4));
        parts[part] = Alter(parts[part], variant);

        // Re-MAC header/payload variants so that only the encoding is wrong; a signature variant
        // decodes, under a lenient decoder, to the very same MAC.
        string token = part == 2
            ? string.Join('.', parts)
            : RawJws.HmacOverInput(parts[0] + "." + parts[1], TestKeys.OctetSecret);

        Assert.Null(new JwsVerifier().Verify(canonical, TestKeys.Octet).Error);
        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out _));
    }

    private static string Alter(string encoded, string variant) => variant switch
    {
        "padding" => encoded + new string('=', 4 - (encoded.Length % 4)),
        "space" => encoded[..4] + " " + encoded[4..],
        "newline" => encoded + "\n",
        "tab" => "\t" + encoded,
        "plus" => ToStandardAlphabet(encoded, '-', '+'),
        "slash" => ToStandardAlphabet(encoded, '_', '/'),
        "trailing-bits" => SetUnusedBits(encoded),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>Turns a URL-safe character into its standard-alphabet twin, or appends one if the part has none.</summary>
    private static string ToStandardAlphabet(string encoded, char urlSafe, char standard) =>
        encoded.Contains(urlSafe, StringComparison.Ordinal) ? encoded.Replace(urlSafe, standard) : standard + encoded[1..];

    /// <summary>Sets the lowest unused bit of the final character: lenient decoders yield the same bytes.</summary>
    private static string SetUnusedBits(string encoded)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.IndexOf(encoded[^1], StringComparison.Ordinal);
        return encoded[..^1] + alphabet[value | 1];
    }
}
