using System.Text.RegularExpressions;

namespace Tessera.OAuth.Authorization;

/// <summary>
/// RFC 8252 §7.3: a native app listens on a loopback IP address at a port the operating system
/// picks at run time, so for <c>http</c> redirect URIs on <c>127.0.0.1</c> or <c>[::1]</c> the
/// server must allow any port (RFC 9700 §4.1.3 makes this the one exception to exact matching).
/// Everything else (scheme, the IP literal, path and query) must still be equal character for
/// character; <c>localhost</c> is not included (RFC 8252 §8.3: it may resolve elsewhere).
/// </summary>
internal static partial class LoopbackRedirectUris
{
    /// <summary>True when both are loopback-IP http URIs that differ at most in their port.</summary>
    public static bool SameButPort(string registered, string sent)
    {
        Match a = Loopback().Match(registered);
        Match b = Loopback().Match(sent);
        return a.Success && b.Success
            && string.Equals(a.Groups["host"].Value, b.Groups["host"].Value, StringComparison.Ordinal)
            && string.Equals(a.Groups["rest"].Value, b.Groups["rest"].Value, StringComparison.Ordinal)
            && (!b.Groups["port"].Success || ushort.TryParse(b.Groups["port"].Value, out _));
    }

    // Compared as strings, not parsed URIs, so no normalisation (dot segments, escapes) can make two different URIs equal.
    [GeneratedRegex(@"^http://(?<host>127\.0\.0\.1|\[::1\])(:(?<port>[0-9]{1,5}))?(?<rest>/[^#@\\]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Loopback();
}
