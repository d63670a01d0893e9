using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>Registers the server's own bearer scheme: the access tokens this server issued, checked against its key ring and sessions.</summary>
public static class IssuedBearerExtensions
{
    /// <summary>
    /// Adds the server's own bearer scheme (tokens this server issued; for an API elsewhere use
    /// <c>AddTesseraBearer</c>) and the selector scheme that sends a request to it when it carries a
    /// bearer token (header or access-token cookie) or a DPoP-bound one (<c>Authorization: DPoP</c>),
    /// to the session cookie otherwise.
    /// </summary>
    public static AuthenticationBuilder AddTesseraIssuedBearer(this AuthenticationBuilder builder, Action<IssuedBearerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddScheme<IssuedBearerOptions, IssuedBearerHandler>(IssuedBearerDefaults.AuthenticationScheme, configure);
        builder.AddPolicyScheme(IssuedBearerDefaults.SelectorScheme, "Tessera session cookie or bearer token", options =>
            options.ForwardDefaultSelector = SelectScheme);
        return builder;
    }

    private static string SelectScheme(HttpContext context)
    {
        // The same reading as the handler's: a malformed bearer goes to the bearer scheme, to be refused there.
        IOptionsMonitor<IssuedBearerOptions>? options = context.RequestServices.GetService<IOptionsMonitor<IssuedBearerOptions>>();
        string? cookieName = options is null ? IssuedBearerDefaults.AccessTokenCookieName : options.Get(IssuedBearerDefaults.AuthenticationScheme).AccessTokenCookieName;
        // Authorization: DPoP (RFC 9449 §7.1) goes to the bearer scheme too (with AcceptDpop off it reads no credential there: a bare 401).
        // Presence only: the handler reads the token itself (a 500-character token copied here too would be a kilobyte per request).
        return CredentialReader.AccessTokenPresenceOf(context.Request, cookieName) == CredentialPresence.Absent
            && CredentialReader.PresenceOf(context.Request.Headers.Authorization, CredentialReader.DpopScheme) == CredentialPresence.Absent
            ? SessionCookieDefaults.AuthenticationScheme
            : IssuedBearerDefaults.AuthenticationScheme;
    }
}
