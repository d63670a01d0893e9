using System.Text.RegularExpressions;

namespace Tessera.Cli.Output;

/// <summary>
/// Writes <c>error: CODE: message</c> to stderr. Messages that echo the command line (parse
/// errors) have anything shaped like a compact JWS replaced, since a token is a credential.
/// </summary>
internal static partial class ErrorOutput
{
    public static void Write(TextWriter error, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"error: {code}: {message}");
    }

    /// <summary>Hides compact-JWS-shaped substrings: three base64url parts, long enough to be a real token.</summary>
    public static string RedactTokens(string text) => CompactJws().Replace(text, "<token>");

    [GeneratedRegex(@"[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex CompactJws();
}
