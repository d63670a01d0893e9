using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// The one place that reads credentials from a request: <c>Authorization: Bearer</c> (RFC 6750
/// §2.1), the access-token cookie of cookie delivery, and <c>Authorization: Basic</c> (RFC 7617)
/// for client authentication. Every handler and endpoint asks it, so they all agree on what a
/// request carries.
/// </summary>
public static class CredentialReader
{
    /// <summary>RFC 6750 §2.1 scheme name; RFC 9110 §11.1: scheme names are case-insensitive.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>RFC 7617 §2 scheme name.</summary>
    public const string BasicScheme = "Basic";

    /// <summary>RFC 9449 §7.1 scheme name of a DPoP-bound access token; case-insensitive like every scheme name.</summary>
    public const string DpopScheme = "DPoP";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The bearer token of the <c>Authorization</c> header: <c>"Bearer" 1*SP b64token</c> (RFC 6750
    /// §2.1). Absent when there is no header or it names another scheme; malformed when the Bearer
    /// scheme is there but its token is empty or not a b64token, or when the request carries more
    /// than one <c>Authorization</c> header (§3.1: one method, once).
    /// </summary>
    public static BearerCredential ReadBearer(StringValues authorization) => ReadToken68(authorization, BearerScheme, texts: null);

    /// <summary>
    /// The access token of <c>Authorization: DPoP</c> (RFC 9449 §7.1: <c>"DPoP" 1*SP token68</c>, the
    /// same characters as a b64token), read exactly as <see cref="ReadBearer"/> reads its scheme.
    /// Whether the token is DPoP-bound and its proof valid is the handler's to check.
    /// </summary>
    public static BearerCredential ReadDpop(StringValues authorization) => ReadToken68(authorization, DpopScheme, texts: null);

    /// <summary>
    /// As <see cref="ReadDpop(StringValues)"/>, the token's string taken from <paramref name="texts"/>
    /// when that cache holds this very text (see <see cref="VerifiedTokenCache.TextOf"/>).
    /// </summary>
    internal static BearerCredential ReadDpop(StringValues authorization, VerifiedTokenCache? texts) => ReadToken68(authorization, DpopScheme, texts);

    /// <summary>
    /// Whether the <c>Authorization</c> header carries a token of <paramref name="schemeName"/>
    /// (<see cref="BearerScheme"/> or <see cref="DpopScheme"/>), exactly as <see cref="ReadBearer"/>
    /// and <see cref="ReadDpop(StringValues)"/> would say, without copying the token: scheme selection
    /// and the CSRF check ask only this.
    /// </summary>
    internal static CredentialPresence PresenceOf(StringValues authorization, string schemeName) =>
        ReadToken68(authorization, schemeName, texts: null, presenceOnly: true).Presence;

    /// <summary>
    /// What <see cref="ReadAccessToken(HttpRequest, string?)"/> would find, header or cookie, without
    /// copying a header's token.
    /// </summary>
    internal static CredentialPresence AccessTokenPresenceOf(HttpRequest request, string? cookieName)
    {
        ArgumentNullException.ThrowIfNull(request);
        CredentialPresence header = PresenceOf(request.Headers.Authorization, BearerScheme);
        return header != CredentialPresence.Absent ? header : ReadAccessToken(request, cookieName).Presence;
    }

    // texts: a verified-token cache whose string of an equal token is used instead of a copy of the
    // header's characters (1 KB for a 500-character token, on every request of a client that sends it again).
    // presenceOnly: no string at all; the credential made then never leaves this class (PresenceOf).
    private static BearerCredential ReadToken68(StringValues authorization, string schemeName, VerifiedTokenCache? texts, bool presenceOnly = false)
    {
        string name = schemeName == BearerScheme ? "bearer" : schemeName;
        if (authorization.Count == 0)
        {
            return BearerCredential.Absent;
        }

        if (authorization.Count > 1)
        {
            // Credentials may hold commas, so repeated headers cannot be combined (RFC 9110 §5.3).
            foreach (string? value in authorization)
            {
                if (SchemeOf(value) is { } scheme && IsScheme(scheme, schemeName))
                {
                    return BearerCredential.Malformed("The request carries more than one Authorization header.");
                }
            }

            return BearerCredential.Absent;
        }

        ReadOnlySpan<char> header = TrimOws(authorization[0]);
        int space = header.IndexOf(' ');
        if (!IsScheme(space < 0 ? header : header[..space], schemeName))
        {
            return BearerCredential.Absent;
        }

        // 1*SP between scheme and token; trailing whitespace is the field's OWS (RFC 9110 §5.5), already trimmed.
        ReadOnlySpan<char> token = space < 0 ? [] : header[space..].TrimStart(' ');
        if (token.IsEmpty)
        {
            return BearerCredential.Malformed($"The {name} token is empty.");
        }

        return IsB64Token(token)
            ? presenceOnly ? new BearerCredential(CredentialPresence.Present, null, null)
                : BearerCredential.Present(texts is null ? token.ToString() : texts.TextOf(token))
            : BearerCredential.Malformed($"The {name} token is not a b64token (RFC 6750 section 2.1).");
    }

    /// <summary>
    /// The access token of a request: the <c>Authorization: Bearer</c> header when it names one (or
    /// names one badly), else the <paramref name="cookieName"/> cookie of cookie delivery (null: the
    /// header only).
    /// </summary>
    public static BearerCredential ReadAccessToken(HttpRequest request, string? cookieName) => ReadAccessToken(request, cookieName, texts: null);

    /// <summary>
    /// As <see cref="ReadAccessToken(HttpRequest, string?)"/>, the header's token string taken from
    /// <paramref name="texts"/> when that cache holds this very text (see <see cref="VerifiedTokenCache.TextOf"/>).
    /// </summary>
    internal static BearerCredential ReadAccessToken(HttpRequest request, string? cookieName, VerifiedTokenCache? texts)
    {
        ArgumentNullException.ThrowIfNull(request);
        BearerCredential header = ReadToken68(request.Headers.Authorization, BearerScheme, texts);
        if (header.Presence != CredentialPresence.Absent || cookieName is null || request.Cookies[cookieName] is not { } cookie)
        {
            return header;
        }

        if (cookie.Length == 0)
        {
            return BearerCredential.Malformed("The access-token cookie is empty.");
        }

        return IsB64Token(cookie)
            ? BearerCredential.Present(cookie)
            : BearerCredential.Malformed("The access-token cookie does not hold a b64token.");
    }

    /// <summary>
    /// The <c>user-id:password</c> of <c>Authorization: Basic</c> (RFC 7617 §2: base64 of the UTF-8
    /// pair, split at the first colon, since a user-id holds none). Null when the request carries no
    /// single Basic header or it does not decode.
    /// </summary>
    public static BasicCredential? ReadBasic(StringValues authorization)
    {
        if (authorization.Count != 1)
        {
            return null;
        }

        ReadOnlySpan<char> header = TrimOws(authorization[0]);
        int space = header.IndexOf(' ');
        if (space < 0 || !IsScheme(header[..space], BasicScheme))
        {
            return null;
        }

        ReadOnlySpan<char> token68 = header[space..].TrimStart(' ');
        byte[] bytes = new byte[token68.Length];
        if (token68.IsEmpty || !Convert.TryFromBase64Chars(token68, bytes, out int written))
        {
            return null;
        }

        string pair;
        try
        {
            pair = StrictUtf8.GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : new BasicCredential(pair[..colon], pair[(colon + 1)..]);
    }

    /// <summary>RFC 6750 §2.1: <c>b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</c>.</summary>
    public static bool IsB64Token(ReadOnlySpan<char> value)
    {
        ReadOnlySpan<char> body = value.TrimEnd('=');
        // One vectorized scan: a token is read on every request and a JWS is hundreds of characters.
        return !body.IsEmpty && !body.ContainsAnyExcept(B64TokenCharacters);
    }

    // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static readonly System.Buffers.SearchValues<char> B64TokenCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

    private static ReadOnlySpan<char> SchemeOf(string? value)
    {
        ReadOnlySpan<char> header = TrimOws(value);
        int space = header.IndexOf(' ');
        return space < 0 ? header : header[..space];
    }

    private static bool IsScheme(ReadOnlySpan<char> candidate, string scheme) =>
        candidate.Equals(scheme, StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> TrimOws(string? value) => value.AsSpan().Trim(" \t");
}

/// <summary>Whether a request carries a credential of one kind.</summary>
public enum CredentialPresence
{
    /// <summary>Not there: the request names no such credential.</summary>
    Absent,

    /// <summary>There but unusable as sent (empty, bad characters, repeated): refuse it, do not look elsewhere.</summary>
    Malformed,

    /// <summary>There and well formed; whether it is valid is the handler's to check.</summary>
    Present,
}

/// <summary>A bearer token as read from a request. The token is a secret: it never appears in <see cref="ToString"/>.</summary>
public readonly record struct BearerCredential(CredentialPresence Presence, string? Token, string? Problem)
{
    /// <summary>No token in the request.</summary>
    public static BearerCredential Absent => default;

    /// <summary>A token was sent but not in a valid form; <paramref name="problem"/> says what is wrong (never the token).</summary>
    public static BearerCredential Malformed(string problem) => new(CredentialPresence.Malformed, null, problem);

    /// <summary>A well-formed <paramref name="token"/>.</summary>
    public static BearerCredential Present(string token) => new(CredentialPresence.Present, token, null);

    /// <summary>The presence only: the token is a secret and never printed.</summary>
    public override string ToString() => $"BearerCredential {{ Presence = {Presence} }}";
}

/// <summary>The decoded pair of <c>Authorization: Basic</c>. The password never appears in <see cref="ToString"/>.</summary>
public sealed record BasicCredential(string UserId, string Password)
{
    /// <summary>The user id only: the password is never printed.</summary>
    public override string ToString() => $"BasicCredential {{ UserId = {UserId} }}";
}
