namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// The server's own acceptance of the access tokens it issued (validated against its own key ring
/// and its session store). Resource servers elsewhere use a JWKS-based bearer handler instead.
/// </summary>
public static class IssuedBearerDefaults
{
    public const string AuthenticationScheme = "TesseraIssuedBearer";

    /// <summary>The scheme <c>AddTessera</c> makes the default: bearer when the request carries one, else the session cookie.</summary>
    public const string SelectorScheme = "Tessera";

    /// <summary>The access-token cookie of <c>?delivery=cookie</c>.</summary>
    public const string AccessTokenCookieName = "__Host-tessera-at";
}
