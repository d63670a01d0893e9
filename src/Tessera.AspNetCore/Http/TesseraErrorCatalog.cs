using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// The one table of how every stable code answers over HTTP: its status, its RFC 6749 §5.2 error on
/// the <c>/oauth2</c> endpoints and its RFC 6750 §3.1 challenge error on protected APIs. The codes
/// themselves are defined once each, by the layer that raises them: <see cref="TesseraErrorCodes"/>
/// (the domain), <see cref="JoseErrorCodes"/> (why a JWT was refused), <see cref="HttpErrorCodes"/>
/// (the framework), <see cref="OAuthErrorCodes"/> (the protocol) and <see cref="TesseraBearerErrorCodes"/>
/// (the resource-server bearer). Endpoints, handlers and the exception handler all ask this table.
/// </summary>
public static class TesseraErrorCatalog
{
    private const string InvalidToken = TesseraErrorCodes.InvalidToken;
    private const string InvalidGrant = TesseraErrorCodes.InvalidGrant;

    private static readonly FrozenDictionary<string, TesseraErrorEntry> Entries = new TesseraErrorEntry[]
    {
        // The domain's codes.
        new(TesseraErrorCodes.InvalidCredentials, StatusCodes.Status401Unauthorized),
        new(TesseraErrorCodes.AccountLocked, StatusCodes.Status423Locked),
        new(TesseraErrorCodes.AccountDisabled, StatusCodes.Status403Forbidden),
        new(TesseraErrorCodes.UsernameTaken, StatusCodes.Status409Conflict),
        new(TesseraErrorCodes.ValidationFailed, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
        new(TesseraErrorCodes.RateLimited, StatusCodes.Status429TooManyRequests),
        // RFC 6750 §3.1: a request without credentials gets a challenge with no error attribute.
        new(TesseraErrorCodes.Unauthenticated, StatusCodes.Status401Unauthorized),
        new(TesseraErrorCodes.SessionExpired, StatusCodes.Status401Unauthorized, InvalidGrant, InvalidToken),
        new(TesseraErrorCodes.SessionRevoked, StatusCodes.Status401Unauthorized, InvalidGrant, InvalidToken),
        new(TesseraErrorCodes.SessionNotFound, StatusCodes.Status404NotFound),
        new(TesseraErrorCodes.AttributeNotFound, StatusCodes.Status404NotFound),
        new(TesseraErrorCodes.AttributeLimitReached, StatusCodes.Status409Conflict),
        new(TesseraErrorCodes.CsrfRejected, StatusCodes.Status403Forbidden),
        // RFC 6265 §6.1: a browser keeps 4096 bytes per cookie; a larger one would be dropped silently.
        new(TesseraErrorCodes.CookieTooLarge, StatusCodes.Status422UnprocessableEntity),
        // RFC 6265bis §8.5: two cookies of one name, one planted by a sibling subdomain.
        new(TesseraErrorCodes.DuplicateCookie, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.StoreUnavailable, StatusCodes.Status503ServiceUnavailable),
        new(TesseraErrorCodes.KeyRingUnavailable, StatusCodes.Status503ServiceUnavailable),
        // Every password-hashing slot busy, or the breached-password check down while it fails closed: retry later.
        new(TesseraErrorCodes.ServerBusy, StatusCodes.Status503ServiceUnavailable),
        new(TesseraErrorCodes.BreachCheckUnavailable, StatusCodes.Status503ServiceUnavailable),
        // RFC 6749 §5.2: every refused refresh token is invalid_grant on /oauth2/token; /auth/token/refresh answers 401.
        new(TesseraErrorCodes.InvalidGrant, StatusCodes.Status401Unauthorized, InvalidGrant),
        new(TesseraErrorCodes.RefreshTokenReused, StatusCodes.Status401Unauthorized, InvalidGrant),
        new(TesseraErrorCodes.InvalidToken, StatusCodes.Status401Unauthorized, null, InvalidToken),

        // The OAuth provider's own (authorize): the user's consents.
        new(TesseraErrorCodes.ConsentNotFound, StatusCodes.Status404NotFound),

        // Client registration and roles (the admin API, the CLI, configured clients).
        new(TesseraErrorCodes.ClientIdInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientNameInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientTypeInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientAuthMethodInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientJwksInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientRedirectUriInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientPostLogoutUriInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientCorsOriginInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientGrantTypesInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientScopeInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientIdTokenAlgInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientSecretInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.ClientIdTaken, StatusCodes.Status409Conflict),
        new(TesseraErrorCodes.ClientNotFound, StatusCodes.Status404NotFound),
        new(TesseraErrorCodes.ClientSecretNotUsed, StatusCodes.Status409Conflict),
        new(TesseraErrorCodes.UserNotFound, StatusCodes.Status404NotFound),
        new(TesseraErrorCodes.RoleInvalid, StatusCodes.Status400BadRequest),
        new(TesseraErrorCodes.AdminRequired, StatusCodes.Status403Forbidden),
        new(TesseraErrorCodes.AdminSelfAction, StatusCodes.Status409Conflict),
        new(TesseraErrorCodes.FirstPartySessionRequired, StatusCodes.Status403Forbidden),


        // OpenID Connect ID tokens: a client registered for an algorithm no longer configured (its
        // registration is what to fix, hence invalid_client), and an id_token_hint that is not ours.
        new(TesseraErrorCodes.IdTokenAlgorithmUnavailable, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidClient),
        new(TesseraErrorCodes.IdTokenHintInvalid, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),

        // The OAuth provider's grants (#12): RFC 6749 §5.2 and RFC 7009 §2.2.1 answer 400.
        new(TesseraErrorCodes.InvalidScope, StatusCodes.Status400BadRequest, TesseraErrorCodes.InvalidScope),
        new(TesseraErrorCodes.UnauthorizedClient, StatusCodes.Status400BadRequest, TesseraErrorCodes.UnauthorizedClient),
        new(TesseraErrorCodes.UnsupportedTokenType, StatusCodes.Status400BadRequest, TesseraErrorCodes.UnsupportedTokenType),


        // The framework's codes (routing, binding, limits).
        new(HttpErrorCodes.MalformedRequest, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
        new(HttpErrorCodes.NotFound, StatusCodes.Status404NotFound),
        new(HttpErrorCodes.MethodNotAllowed, StatusCodes.Status405MethodNotAllowed),
        new(HttpErrorCodes.PayloadTooLarge, StatusCodes.Status413PayloadTooLarge),
        new(HttpErrorCodes.UnsupportedMediaType, StatusCodes.Status415UnsupportedMediaType),
        new(HttpErrorCodes.Forbidden, StatusCodes.Status403Forbidden),
        new(HttpErrorCodes.InternalError, StatusCodes.Status500InternalServerError),

        // The protocol's own codes.
        new(OAuthErrorCodes.InvalidRequest, StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidRequest),
        new(OAuthErrorCodes.InvalidClient, StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient),
        new(OAuthErrorCodes.UnsupportedGrantType, StatusCodes.Status400BadRequest, OAuthErrorCodes.UnsupportedGrantType),

        // The resource-server bearer: a missing scope (RFC 6750 §3.1), and checks that could not run (retry later).
        new(TesseraBearerErrorCodes.InsufficientScope, StatusCodes.Status403Forbidden, null, TesseraBearerErrorCodes.InsufficientScope),
        new(TesseraBearerErrorCodes.JwksUnavailable, StatusCodes.Status503ServiceUnavailable),
        new(TesseraBearerErrorCodes.IntrospectionUnavailable, StatusCodes.Status503ServiceUnavailable),
        new(TesseraBearerErrorCodes.RevocationListUnavailable, StatusCodes.Status503ServiceUnavailable),
        // #16 dpop-resource: a RequireDpop() policy met a token that is not DPoP-bound (RFC 9449 §7.1).
        new(TesseraErrorCodes.DpopRequired, StatusCodes.Status403Forbidden),

        // Why a JWT was refused: outwardly always invalid_token (RFC 6750 §3.1); the JOSE code travels
        // as the problem's error (resource-server bearer) or reason (the server's own bearer).
        Jose(JoseErrorCodes.Malformed),
        Jose(JoseErrorCodes.TooLarge),
        Jose(JoseErrorCodes.AlgorithmNotAllowed),
        Jose(JoseErrorCodes.AlgorithmUnsupported),
        Jose(JoseErrorCodes.KeyNotFound),
        Jose(JoseErrorCodes.KeyInvalid),
        Jose(JoseErrorCodes.SignatureInvalid),
        Jose(JoseErrorCodes.CritUnsupported),
        Jose(JoseErrorCodes.Expired),
        Jose(JoseErrorCodes.NotYetValid),
        Jose(JoseErrorCodes.IssuerInvalid),
        Jose(JoseErrorCodes.AudienceInvalid),
        Jose(JoseErrorCodes.TypeInvalid),
        Jose(JoseErrorCodes.ClaimMissing),
    }.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);

    /// <summary>Every entry, one per code.</summary>
    public static IReadOnlyCollection<TesseraErrorEntry> All => Entries.Values;

    /// <summary>The entry of <paramref name="code"/>, or null for a code this table does not know.</summary>
    public static TesseraErrorEntry? Find(string code) => Entries.GetValueOrDefault(code);

    /// <summary>The entry of <paramref name="code"/>; an unknown code (an app's own) answers 400 problem+json.</summary>
    public static TesseraErrorEntry Describe(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Find(code) ?? new TesseraErrorEntry(code, StatusCodes.Status400BadRequest);
    }

    /// <summary>The HTTP status of <paramref name="code"/>'s problem+json answer.</summary>
    public static int StatusFor(string code) => Describe(code).Status;

    /// <summary>The code of an error the framework raised with only a status (routing, binding, limits, a bare 401).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => TesseraErrorCodes.Unauthenticated,
        StatusCodes.Status403Forbidden => HttpErrorCodes.Forbidden,
        StatusCodes.Status404NotFound => HttpErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => HttpErrorCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => HttpErrorCodes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => HttpErrorCodes.UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => TesseraErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => TesseraErrorCodes.StoreUnavailable,
        >= 500 => HttpErrorCodes.InternalError,
        _ => HttpErrorCodes.MalformedRequest,
    };

    private static TesseraErrorEntry Jose(string code) => new(code, StatusCodes.Status401Unauthorized, null, InvalidToken);
}
