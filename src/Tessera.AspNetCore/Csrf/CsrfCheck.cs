using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Csrf;

/// <summary>
/// Decides whether a state-changing request may have come from another site. The session cookie
/// is SameSite=Lax, which already keeps it off cross-site POSTs in current browsers; this check is
/// the second layer, for older browsers and for same-site-but-cross-origin attackers:
/// <list type="number">
/// <item>Fetch Metadata (<c>Sec-Fetch-Site</c>, W3C Fetch Metadata Request Headers §2.1): allow
/// <c>same-origin</c> and <c>none</c> (the user's own action), refuse <c>same-site</c> and
/// <c>cross-site</c> unless the Origin is trusted.</item>
/// <item>Otherwise <c>Origin</c> (RFC 6454 §7): allow the server's own origin and trusted ones,
/// refuse anything else, <c>null</c> included.</item>
/// <item>Neither header: not a browser request made on a page's behalf (curl, servers, very old
/// browsers), so no ambient-credential attack to stop; allow.</item>
/// </list>
/// Before all that, a request that carries its own bearer token in the <c>Authorization</c> header
/// is allowed: that credential is not ambient (a browser never adds it by itself, and a page on
/// another origin can set it only after a CORS preflight the server approved, Fetch §3.2.2), and
/// such a request is authenticated by that header alone, never by the session cookie it may also
/// carry (the selector scheme, IssuedBearerExtensions). This is how a single-page app on another
/// origin calls the API with the token the provider issued it.
/// </summary>
internal static class CsrfCheck
{
    private const string SecFetchSite = "Sec-Fetch-Site";

    public static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    public static bool IsAllowed(HttpRequest request, CsrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (IsSafeMethod(request.Method) || CarriesBearerHeader(request))
        {
            return true;
        }

        string? origin = request.Headers[HeaderNames.Origin].Count == 1 ? request.Headers[HeaderNames.Origin].ToString() : null;

        string site = request.Headers[SecFetchSite].ToString();
        if (site.Length > 0)
        {
            // same-site or cross-site: the page was not ours, so only an explicitly trusted
            // front-end origin may act (an Origin claiming to be ours contradicts the header).
            return site is "same-origin" or "none" || (origin is not null && IsTrusted(options, origin));
        }

        if (request.Headers.ContainsKey(HeaderNames.Origin))
        {
            return origin is not null && (IsOwnOrigin(request, origin) || IsTrusted(options, origin));
        }

        return true;
    }

    private static bool CarriesBearerHeader(HttpRequest request) =>
        CredentialReader.PresenceOf(request.Headers.Authorization, CredentialReader.BearerScheme) == CredentialPresence.Present
        // #16 dpop-resource: Authorization: DPoP (RFC 9449 §7.1) is no more ambient than Bearer.
        || CredentialReader.PresenceOf(request.Headers.Authorization, CredentialReader.DpopScheme) == CredentialPresence.Present;

    private static bool IsOwnOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);

    private static bool IsTrusted(CsrfOptions options, string origin) =>
        options.TrustedOrigins.Any(trusted => string.Equals(trusted.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
}
