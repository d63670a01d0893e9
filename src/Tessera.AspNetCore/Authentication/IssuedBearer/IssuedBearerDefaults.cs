namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// The server's own bearer: it accepts the access tokens this server issued, validated against its
/// own key ring and its session store, so a signed-out session's tokens stop at once. Not to be
/// confused with <c>AddTesseraBearer</c> (<see cref="Bearer.TesseraBearerDefaults"/>), the
/// resource-server bearer that an API elsewhere uses to validate Tessera's tokens via JWKS.
/// </summary>
public static class IssuedBearerDefaults
{
    /// <summary>The scheme name of the server's own bearer scheme.</summary>
    public const string AuthenticationScheme = "TesseraIssuedBearer";

    /// <summary>The scheme <c>AddTessera</c> makes the default: bearer when the request carries one, else the session cookie.</summary>
    public const string SelectorScheme = "Tessera";

    /// <summary>The access-token cookie of <c>?delivery=cookie</c>.</summary>
    public const string AccessTokenCookieName = "__Host-tessera-at";
}
