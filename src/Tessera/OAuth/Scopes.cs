namespace Tessera.OAuth;

/// <summary>Scope strings (RFC 6749 §3.3): space-delimited, case-sensitive tokens of printable ASCII without <c>"</c> or <c>\</c>.</summary>
public static class Scopes
{
    /// <summary>OpenID Connect's scope: the request is an authentication request and an ID token is issued.</summary>
    public const string OpenId = "openid";

    /// <summary>A refresh token is issued only when this is granted (OIDC Core §11).</summary>
    public const string OfflineAccess = "offline_access";

    /// <summary>OpenID Connect's <c>profile</c> scope: the ID token and userinfo carry the user's name.</summary>
    public const string Profile = "profile";

    /// <summary>
    /// The distinct scope tokens of <paramref name="scope"/>, in first-seen order; null when a token
    /// has a character RFC 6749 §3.3 does not allow. Null or blank input is an empty list.
    /// </summary>
    public static IReadOnlyList<string>? Parse(string? scope)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return [];
        }

        var tokens = new List<string>();
        foreach (string token in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.All(static c => c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)))
            {
                return null;
            }

            if (!tokens.Contains(token, StringComparer.Ordinal))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    /// <summary>The scope string of <paramref name="scopes"/>: space-separated.</summary>
    public static string Format(IEnumerable<string> scopes) => string.Join(' ', scopes);

    /// <summary>True when every scope in <paramref name="requested"/> is in <paramref name="allowed"/>.</summary>
    public static bool IsSubset(IEnumerable<string> requested, IEnumerable<string> allowed) =>
        requested.All(scope => allowed.Contains(scope, StringComparer.Ordinal));
}
