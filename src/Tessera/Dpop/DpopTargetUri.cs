namespace Tessera.Dpop;

/// <summary>
/// Compares a proof's <c>htu</c> with the URI a request arrived at (RFC 9449 §4.3 step 9): without
/// query and fragment, after RFC 3986 §6.2.2 syntax-based and §6.2.3 scheme-based normalization
/// (scheme and host case, default ports, percent-encoding of unreserved characters), which
/// <see cref="Uri"/> performs.
/// </summary>
public static class DpopTargetUri
{
    /// <summary>True when <paramref name="htu"/> names the same resource as <paramref name="requestUri"/>.</summary>
    public static bool Matches(string htu, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        if (!Uri.TryCreate(htu, UriKind.Absolute, out Uri? claimed)
            || (claimed.Scheme != Uri.UriSchemeHttps && claimed.Scheme != Uri.UriSchemeHttp)
            || claimed.UserInfo.Length != 0)
        {
            return false;
        }

        return string.Equals(Normalize(claimed), Normalize(requestUri), StringComparison.Ordinal);
    }

    /// <summary>The parts of <paramref name="uri"/> that <c>htu</c> covers, normalized: scheme, host, port (omitted when default) and path.</summary>
    public static string Normalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
    }
}
