using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.OAuth;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/userinfo</c> (OpenID Connect Core §5.3): the claims about the user
/// of a bearer access token whose scope holds <c>openid</c>: <c>sub</c> (the same as the ID token's),
/// and with <c>profile</c> the username as <c>preferred_username</c> and <c>name</c>. Refusals follow
/// RFC 6750 §3.1: <c>invalid_request</c> 400, <c>invalid_token</c> 401, <c>insufficient_scope</c> 403,
/// each with its <c>WWW-Authenticate: Bearer</c> challenge.
/// </summary>
internal static class UserInfoEndpoint
{
    private const string Realm = "Tessera";

    public static async Task<IResult> GetAsync(HttpContext http, [FromServices] TokenService tokens, [FromServices] IUserStore users, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        BearerCredential credential = CredentialReader.ReadBearer(http.Request.Headers.Authorization);
        switch (credential.Presence)
        {
            case CredentialPresence.Absent:
                // RFC 6750 §3.1: no credentials, so a challenge without an error code.
                return Challenge(http, StatusCodes.Status401Unauthorized, null, null);
            case CredentialPresence.Malformed:
                return Challenge(http, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, credential.Problem);
        }

        Outcome<ValidatedAccessToken> validated = await tokens.ValidateAccessTokenAsync(credential.Token, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), cancellationToken).ConfigureAwait(false);
        if (!validated.Succeeded)
        {
            return Challenge(http, StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidToken, BearerChallenge.Describe(validated.Error.Message, validated.Error.Reason));
        }

        IReadOnlyList<string> scopes = Scopes.Parse(validated.Value.Scope) ?? [];
        if (!scopes.Contains(Scopes.OpenId, StringComparer.Ordinal))
        {
            return Challenge(http, StatusCodes.Status403Forbidden, "insufficient_scope", "The access token was not granted the openid scope.", Scopes.OpenId);
        }

        UserRecord? user = await users.FindByIdAsync(validated.Value.Session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge(http, StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidToken, "The account of this token no longer exists.");
        }

        var claims = new JsonObject { ["sub"] = user.Id };
        if (scopes.Contains(Scopes.Profile, StringComparer.Ordinal))
        {
            claims["preferred_username"] = user.Username;
            claims["name"] = user.Username;
        }

        return TypedResults.Json(claims);
    }

    /// <summary>The RFC 6750 §3 challenge, and the same error as RFC 6749 §5.2 JSON for clients that read the body.</summary>
    private static IResult Challenge(HttpContext http, int status, string? error, string? description, string? scope = null)
    {
        http.Response.Headers.WWWAuthenticate = BearerChallenge.Format(Realm, ("error", error), ("error_description", error is null ? null : description), ("scope", scope));
        if (error is null)
        {
            // A bare 401: nothing for the status-code pages to add (they would name the cookie scheme too).
            if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return TypedResults.StatusCode(status);
        }

        return TypedResults.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);
    }
}
