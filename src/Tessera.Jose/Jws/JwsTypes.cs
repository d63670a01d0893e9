namespace Tessera.Jose.Jws;

/// <summary>
/// Media-type comparison for <c>typ</c> (RFC 7515 §4.1.9): case-insensitive, and the
/// <c>application/</c> prefix may be left out, so <c>at+jwt</c> equals <c>application/AT+JWT</c>.
/// </summary>
internal static class JwsTypes
{
    private const string Prefix = "application/";

    public static string Normalize(string type) =>
        type.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && type.IndexOf(';', StringComparison.Ordinal) < 0
            ? type[Prefix.Length..]
            : type;

    public static bool Matches(ReadOnlySpan<char> actual, string normalizedExpected)
    {
        if (actual.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !actual.Contains(';'))
        {
            actual = actual[Prefix.Length..];
        }

        return actual.Equals(normalizedExpected, StringComparison.OrdinalIgnoreCase);
    }
}
