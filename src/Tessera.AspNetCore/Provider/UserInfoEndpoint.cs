using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Dpop;
using Tessera.OAuth;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/userinfo</c> (OpenID Connect Core §5.3): the claims about the user
/// of a bearer access token whose scope holds <c>openid</c>: <c>sub</c> (the same as the ID token's),
/// and with <c>profile</c> the username as <c>preferred_username</c> and <c>name</c>. Refusals follow
/// RFC 6750 §3.1: <c>invalid_request</c> 400, <c>invalid_token</c> 401, <c>insufficient_scope</c> 403,
/// each with its <c>WWW-Authenticate: Bearer</c> challenge. A DPoP-bound token is accepted as
/// <c>Authorization: DPoP</c> with its proof and refused as a bearer token (RFC 9449 §7.1, §7.2);
/// a refused proof is <c>invalid_dpop_proof</c> or <c>use_dpop_nonce</c> on the <c>DPoP</c> challenge.
/// </summary>
internal static class UserInfoEndpoint
{
    private const string Realm = "Tessera";

    public static async Task<IResult> GetAsync(HttpContext http, [FromServices] TokenService tokens, [FromServices] IUserStore users, [FromServices] DpopProofValidator dpop, [FromServices] IDpopNonces nonces, [FromServices] IOptionsMonitor<IssuedBearerOptions> bearerOptions, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        // The server's own bearer options say whether plain bearer tokens are taken at all (RequireDpop): userinfo follows them.
        bool requireDpop = bearerOptions.Get(IssuedBearerDefaults.AuthenticationScheme).RequireDpop;
        var offer = new DpopChallenge.Offer(Realm, Bearer: !requireDpop, Dpop: true, string.Join(' ', dpop.Options.AllowedAlgorithms));
        // RFC 9449 §7.1: a DPoP-bound token comes as Authorization: DPoP with a proof; as Bearer it is refused (§7.2).
        PresentedToken presented = PresentedToken.Read(http.Request, acceptDpop: true, cookieName: null);
        BearerCredential credential = presented.Credential;
        switch (credential.Presence)
        {
            case CredentialPresence.Absent:
                // RFC 6750 §3.1: no credentials, so a challenge without an error code (RFC 9449 §7.2: Bearer and DPoP).
                return Challenge(http, offer, null, StatusCodes.Status401Unauthorized, null, null);
            case CredentialPresence.Malformed:
                return Challenge(http, offer, presented.Scheme, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, credential.Problem);
        }

        // The proof before the session is read (RFC 9449 §7.1), as in IssuedBearerHandler: a thief without
        // the key must not touch the session nor set off its binding policy from another address.
        DpopCheck bound = default;
        Outcome<ValidatedAccessToken> validated = await tokens.ValidateAccessTokenAsync(credential.Token, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), async claims =>
        {
            bound = await DpopResourceCheck.CheckAsync(http.Request, presented.Scheme, credential.Token!, claims, dpop, requireDpop, cancellationToken).ConfigureAwait(false);
            return bound.Refusal is { } refused ? new TesseraError(refused.Code, refused.Message) : null;
        }, cancellationToken).ConfigureAwait(false);
        if (bound.Refusal is { } refusal)
        {
            return Challenge(http, offer, presented.Scheme, StatusCodes.Status401Unauthorized, refusal.Code, refusal.Message, nonces: nonces);
        }

        if (!validated.Succeeded)
        {
            return Challenge(http, offer, presented.Scheme, StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidToken, BearerChallenge.Describe(validated.Error.Message, validated.Error.Reason));
        }

        IReadOnlyList<string> scopes = Scopes.Parse(validated.Value.Scope) ?? [];
        if (!scopes.Contains(Scopes.OpenId, StringComparer.Ordinal))
        {
            return Challenge(http, offer, presented.Scheme, StatusCodes.Status403Forbidden, "insufficient_scope", "The access token was not granted the openid scope.", Scopes.OpenId);
        }

        UserRecord? user = await users.FindByIdAsync(validated.Value.Session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge(http, offer, presented.Scheme, StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidToken, "The account of this token no longer exists.");
        }

        var claims = new JsonObject { ["sub"] = user.Id };
        if (scopes.Contains(Scopes.Profile, StringComparer.Ordinal))
        {
            claims["preferred_username"] = user.Username;
            claims["name"] = user.Username;
        }

        return TypedResults.Json(claims);
    }

    /// <summary>
    /// The RFC 6750 §3 and RFC 9449 §7.1 challenges (the error on the scheme the client used, §7.2), and
    /// the same error as RFC 6749 §5.2 JSON for clients that read the body.
    /// </summary>
    private static IResult Challenge(HttpContext http, DpopChallenge.Offer offer, TokenScheme? used, int status, string? error, string? description, string? scope = null, IDpopNonces? nonces = null)
    {
        DpopChallenge.Write(http.Response, offer, used, error, error is null ? null : description, nonces, scope);
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
