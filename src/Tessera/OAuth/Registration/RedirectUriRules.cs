namespace Tessera.OAuth.Registration;

/// <summary>
/// What a registered redirect URI (and post-logout redirect URI) and a CORS origin may be. Redirect
/// URIs are compared exactly at the authorization endpoint (RFC 9700 §4.1.3), so they are stored
/// as written and refused here when a client could not send them back byte for byte, or when they
/// would send codes somewhere unsafe. Each check answers a message, or null when the value is fine.
/// </summary>
public static class RedirectUriRules
{
    /// <summary>Longer values are refused: they are registered by people, not generated.</summary>
    public const int MaxLength = 2000;

    /// <summary>The hosts plain http is allowed on: the loopback interface (RFC 8252 §7.3, §8.3).</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["127.0.0.1", "[::1]", "localhost"];

    /// <summary>
    /// A redirect URI is absolute, without fragment (RFC 6749 §3.1.2) or userinfo, and either
    /// https, http on a loopback host (RFC 8252 §7.3), or a private-use scheme in reverse-domain
    /// form for a native app (RFC 8252 §7.1), such as <c>com.example.app:/callback</c>.
    /// </summary>
    public static string? RedirectUriProblem(string? value)
    {
        if (Shape(value) is { } problem)
        {
            return problem;
        }

        string scheme = value![..value!.IndexOf(':', StringComparison.Ordinal)];
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri))
        {
            return $"'{value}' is not an absolute URI";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"'{value}' has user information before the host; leave it out";
        }

        switch (scheme)
        {
            case "https":
                return uri.Host.Length > 0 ? null : $"'{value}' names no host";
            case "http":
                return IsLoopback(uri)
                    ? null
                    : $"'{value}' uses http on a host other than 127.0.0.1, [::1] or localhost; use https (plain http is only for loopback redirects, RFC 8252 §7.3)";
            default:
                // RFC 8252 §7.1: a private-use scheme is a reverse domain name the app's owner
                // controls (so it has a dot; this also rules out javascript:, data:, file:…), and
                // with no naming authority only a single slash follows the scheme.
                if (!scheme.Contains('.', StringComparison.Ordinal))
                {
                    return $"'{value}' has the scheme '{scheme}': use https, http on a loopback host, or a private-use scheme in reverse-domain form such as com.example.app:/callback (RFC 8252 §7.1)";
                }

                return value.AsSpan(scheme.Length + 1).StartsWith("//", StringComparison.Ordinal)
                    ? $"'{value}': a private-use scheme is followed by a single slash, as in {scheme}:/callback (RFC 8252 §7.1)"
                    : null;
        }
    }

    /// <summary>
    /// A CORS origin is exactly what a browser sends in <c>Origin</c> (RFC 6454 §6.2): a lowercase
    /// scheme and host, the port only when it is not the default, nothing after; https, or http on a
    /// loopback host.
    /// </summary>
    public static string? CorsOriginProblem(string? value)
    {
        if (Shape(value) is { } problem)
        {
            return problem;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return $"'{value}' is not an origin: give scheme://host[:port], such as https://app.example.org";
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            return $"'{value}' uses http on a host other than 127.0.0.1, [::1] or localhost; use https";
        }

        string canonical = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return string.Equals(value, canonical, StringComparison.Ordinal)
            ? null
            : $"'{value}' is not an origin as a browser sends it: write '{canonical}' (lowercase, no path or trailing slash, no default port)";
    }

    private static bool IsLoopback(Uri uri) => LoopbackHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>The checks before parsing: present, short enough, printable ASCII, a scheme (RFC 3986 §3.1), no fragment.</summary>
    private static string? Shape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "an entry is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        if (value.Any(static c => c <= 0x20 || c >= 0x7F))
        {
            return $"'{value}' has spaces, control or non-ASCII characters; percent-encode them as the client will send them";
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetterLower(value[0]) || !IsScheme(value.AsSpan(0, colon)))
        {
            return $"'{value}' does not start with a lowercase scheme such as https:";
        }

        // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
        return value.Contains('#', StringComparison.Ordinal) ? $"'{value}' has a fragment (#…), which a redirect URI must not have (RFC 6749 §3.1.2)" : null;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        foreach (char c in scheme)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
