
namespace Tessera.Jose.Tests.TestData;

/// <summary>
/// Base64url written independently of the library under test, so that tests which build tokens by
/// hand do not lean on the code they check.
/// </summary>
internal static class B64
{
    public static string Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Url(string utf8Text) => Url(System.Text.Encoding.UTF8.GetBytes(utf8Text));

    /// <summary>Lenient decoding (padding optional) for reading vectors; not a canonicality check.</summary>
    public static byte[] Decode(string base64Url)
    {
        string standard = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '='));
    }
}
