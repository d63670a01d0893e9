using Tessera.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Health;
using Tessera.AspNetCore.OpenApi;
using Tessera.AspNetCore.RateLimiting;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>Maps Tessera's endpoints: <c>MapTesseraAuth</c> (account, sessions), <c>MapTesseraTokens</c> (token endpoints, JWKS, discovery) and the others.</summary>
public static class TesseraEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the auth endpoints under <paramref name="prefix"/>: register, sign in and out, me, the
    /// session list and the session's attributes. State-changing requests are CSRF-checked and
    /// responses are <c>Cache-Control: no-store</c> (they carry personal data).
    /// </summary>
    public static RouteGroupBuilder MapTesseraAuth(this IEndpointRouteBuilder endpoints, string prefix = "/auth")
    {
        RouteGroupBuilder auth = endpoints.MapGroup(prefix).RequireCsrfProtection().RequireFirstPartySession()
            .WithTags(TesseraOpenApi.AuthTag)
            // The CSRF check (csrf_rejected) and first-party sessions only (first_party_session_required).
            .ProducesProblem(StatusCodes.Status403Forbidden);
        auth.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });

        auth.MapPost("/register", AccountEndpoints.RegisterAsync).RequireRateLimiting(TesseraRateLimiting.RegisterPolicy).AllowAnonymous()
            .WithSummary("Create an account").Produces<UserResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/session", AccountEndpoints.SignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous()
            .WithSummary("Sign in with a session cookie").Produces<SignedInResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        auth.MapDelete("/session", AccountEndpoints.SignOutAsync).RequireAuthorization().WithSummary("Sign out (end this session)");
        auth.MapGet("/me", AccountEndpoints.MeAsync).RequireAuthorization().WithSummary("The signed-in user and this session").Produces<SignedInResponse>();
        // Deleting one's own account re-enters the password: the sign-in budget, like /password.
        auth.MapDelete("/me", AccountDeletionEndpoint.DeleteAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).RequireAuthorization()
            .WithSummary("Delete one's own account (re-enter the password): ends every session, clears the cookies").Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status423Locked);
        // It checks a password: the sign-in budget per client, like every endpoint that does (PasswordCheck).
        auth.MapPost("/password", AccountEndpoints.ChangePasswordAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).RequireAuthorization()
            .WithSummary("Change the password (ends the other sessions)").Produces<RevokedResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status423Locked);

        // Token mode (JSON, problem+json). The refresh cookie of ?delivery=cookie is scoped to /auth/token.
        auth.MapPost("/token", TokenEndpoints.SignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous()
            .WithSummary("Sign in for an access and a refresh token (?delivery=cookie puts them in cookies)").Produces<TokenResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        auth.MapPost("/token/refresh", TokenEndpoints.RefreshAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).AllowAnonymous()
            .WithSummary("Rotate the refresh token for a new pair (body or refresh cookie)").Produces<TokenResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        auth.MapPost("/token/revoke", TokenEndpoints.RevokeAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).AllowAnonymous()
            .WithSummary("Revoke a refresh token (ends its session)").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();

        auth.MapGet("/sessions", SessionEndpoints.ListAsync).RequireAuthorization().WithSummary("The user's active sessions").Produces<SessionListResponse>();
        auth.MapDelete("/sessions", SessionEndpoints.EndManyAsync).RequireAuthorization().WithSummary("End every session (?others=true: all but this one)").Produces<RevokedResponse>();
        auth.MapDelete("/sessions/{id}", SessionEndpoints.EndOneAsync).RequireAuthorization().WithSummary("End one session (log out a device)").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        auth.MapGet("/session/attributes", AttributeEndpoints.ListAsync).RequireAuthorization().WithSummary("This session's attributes").Produces<AttributesResponse>();
        auth.MapGet("/session/attributes/{key}", AttributeEndpoints.GetAsync).RequireAuthorization().WithSummary("One attribute of this session").Produces<AttributeResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        auth.MapPut("/session/attributes/{key}", AttributeEndpoints.PutAsync).RequireAuthorization().WithSummary("Set an attribute of this session").Produces<AttributeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        // Passkeys (docs/passkeys.md): register, list, rename, remove, sign in; DELETE /password.
        Tessera.AspNetCore.Passkeys.PasskeyEndpointRouteBuilderExtensions.MapTesseraPasskeys(auth);
        auth.MapDelete("/session/attributes/{key}", AttributeEndpoints.DeleteAsync).RequireAuthorization().WithSummary("Remove an attribute of this session").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return auth;
    }

    /// <summary>
    /// Maps the standard token endpoints: <c>/oauth2/token</c> (authorization_code, refresh_token,
    /// client_credentials), <c>/oauth2/revoke</c>, <c>/oauth2/introspect</c>, the JWKS and the metadata
    /// at both discovery paths (OIDC Discovery, RFC 8414). Form posts from other origins are normal
    /// here and carry no ambient credentials, so no CSRF check; the token and revocation endpoints
    /// answer CORS to the origins registered for a client, the public documents to any origin.
    /// </summary>
    public static IEndpointRouteBuilder MapTesseraTokens(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder oauth = endpoints.MapGroup("/oauth2").AllowAnonymous().DisableAntiforgery().WithTags(TesseraOpenApi.OAuthTag);
        oauth.MapPost("/token", OAuthTokenEndpoint.HandleAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).RequireClientCors()
            .WithSummary("Token endpoint: authorization_code, refresh_token, client_credentials (RFC 6749 §3.2)")
            .WithFormBody<OAuthTokenForm>().Produces<TokenResponse>().ProducesOAuthErrors();
        oauth.MapPost("/revoke", OAuthRevocationEndpoint.HandleAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).RequireClientCors()
            .WithSummary("Revoke a token (RFC 7009)").WithFormBody<OAuthRevocationForm>().Produces(StatusCodes.Status200OK).ProducesOAuthErrors();
        oauth.MapPost("/introspect", IntrospectionEndpoint.IntrospectAsync).RequireRateLimiting(TesseraRateLimiting.IntrospectPolicy)
            .WithSummary("Token introspection for resource servers (RFC 7662)").WithFormBody<OAuthIntrospectionForm>()
            .Produces<OAuthIntrospectionResponse>().ProducesOAuthErrors();
        endpoints.MapGet(WellKnownEndpoints.JwksPath, WellKnownEndpoints.JwksAsync).AllowAnonymous().RequirePublicCors()
            .WithTags(TesseraOpenApi.OAuthTag).WithSummary("The public signing keys (JWKS, RFC 7517)").Produces<JwkSetDocument>(contentType: "application/jwk-set+json");
        endpoints.MapGet(WellKnownEndpoints.DiscoveryPath, WellKnownEndpoints.Discovery).AllowAnonymous().RequirePublicCors()
            .WithTags(TesseraOpenApi.OAuthTag).WithSummary("OpenID Connect Discovery metadata").Produces<ProviderMetadataDocument>().WithMetadata(new ExcludeStoreOutageAttribute());
        endpoints.MapGet(WellKnownEndpoints.AuthorizationServerMetadataPath, WellKnownEndpoints.Discovery).AllowAnonymous().RequirePublicCors()
            .WithTags(TesseraOpenApi.OAuthTag).WithSummary("OAuth 2.0 Authorization Server Metadata (RFC 8414)").Produces<ProviderMetadataDocument>().WithMetadata(new ExcludeStoreOutageAttribute());
        return endpoints;
    }

    /// <summary>
    /// Maps the health endpoints (no authentication, no personal data, <c>AddTessera</c> registers
    /// the checks): <c>{prefix}/live</c> (liveness: the checks tagged <c>live</c>, none of Tessera's,
    /// so no store call), <c>{prefix}/ready</c> (readiness: every store and the key ring) with a
    /// JSON report and 503 when unhealthy, and <paramref name="pattern"/>, the readiness checks in
    /// <c>/healthz</c>'s own shape (200 with the stores, or 503 problem+json). The returned group
    /// takes conventions for all three (such as <c>RequireHost</c>).
    /// </summary>
    public static RouteGroupBuilder MapTesseraHealth(this IEndpointRouteBuilder endpoints, string pattern = "/healthz", string prefix = "/health")
    {
        RouteGroupBuilder health = endpoints.MapGroup(string.Empty).AllowAnonymous().WithTags(TesseraOpenApi.HealthTag).WithMetadata(new ExcludeStoreOutageAttribute());
        health.MapGet(pattern, HealthEndpoints.LegacyAsync).WithSummary("Readiness in the original shape: the stores that answered, or 503 problem+json")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        health.MapGet($"{prefix}/live", HealthEndpoints.LiveAsync).WithSummary("Liveness: the process answers (no store call)")
            .Produces<HealthReportResponse>().Produces<HealthReportResponse>(StatusCodes.Status503ServiceUnavailable);
        health.MapGet($"{prefix}/ready", HealthEndpoints.ReadyAsync).WithSummary("Readiness: every store and the key ring, each with its status, duration and reason")
            .Produces<HealthReportResponse>().Produces<HealthReportResponse>(StatusCodes.Status503ServiceUnavailable);
        return health;
    }
}
