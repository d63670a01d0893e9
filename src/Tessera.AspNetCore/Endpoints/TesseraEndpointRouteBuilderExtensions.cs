using Tessera.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.Csrf;
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
        RouteGroupBuilder auth = endpoints.MapGroup(prefix).RequireCsrfProtection().RequireFirstPartySession();
        auth.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });

        auth.MapPost("/register", AccountEndpoints.RegisterAsync).RequireRateLimiting(TesseraRateLimiting.RegisterPolicy).AllowAnonymous();
        auth.MapPost("/session", AccountEndpoints.SignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous();
        auth.MapDelete("/session", AccountEndpoints.SignOutAsync).RequireAuthorization();
        auth.MapGet("/me", AccountEndpoints.MeAsync).RequireAuthorization();
        // It checks a password: the sign-in budget per client, like every endpoint that does (PasswordCheck).
        auth.MapPost("/password", AccountEndpoints.ChangePasswordAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).RequireAuthorization();

        // Token mode (JSON, problem+json). The refresh cookie of ?delivery=cookie is scoped to /auth/token.
        auth.MapPost("/token", TokenEndpoints.SignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous();
        auth.MapPost("/token/refresh", TokenEndpoints.RefreshAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).AllowAnonymous();
        auth.MapPost("/token/revoke", TokenEndpoints.RevokeAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).AllowAnonymous();

        auth.MapGet("/sessions", SessionEndpoints.ListAsync).RequireAuthorization();
        auth.MapDelete("/sessions", SessionEndpoints.EndManyAsync).RequireAuthorization();
        auth.MapDelete("/sessions/{id}", SessionEndpoints.EndOneAsync).RequireAuthorization();

        auth.MapGet("/session/attributes", AttributeEndpoints.ListAsync).RequireAuthorization();
        auth.MapGet("/session/attributes/{key}", AttributeEndpoints.GetAsync).RequireAuthorization();
        auth.MapPut("/session/attributes/{key}", AttributeEndpoints.PutAsync).RequireAuthorization();
        auth.MapDelete("/session/attributes/{key}", AttributeEndpoints.DeleteAsync).RequireAuthorization();
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
        RouteGroupBuilder oauth = endpoints.MapGroup("/oauth2").AllowAnonymous().DisableAntiforgery();
        oauth.MapPost("/token", OAuthTokenEndpoint.HandleAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).RequireClientCors();
        oauth.MapPost("/revoke", OAuthRevocationEndpoint.HandleAsync).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).RequireClientCors();
        oauth.MapPost("/introspect", IntrospectionEndpoint.IntrospectAsync).RequireRateLimiting(TesseraRateLimiting.IntrospectPolicy);
        endpoints.MapGet(WellKnownEndpoints.JwksPath, WellKnownEndpoints.JwksAsync).AllowAnonymous().RequirePublicCors();
        endpoints.MapGet(WellKnownEndpoints.DiscoveryPath, WellKnownEndpoints.Discovery).AllowAnonymous().RequirePublicCors();
        endpoints.MapGet(WellKnownEndpoints.AuthorizationServerMetadataPath, WellKnownEndpoints.Discovery).AllowAnonymous().RequirePublicCors();
        return endpoints;
    }

    /// <summary>Maps the store health check (no authentication, no personal data).</summary>
    public static RouteHandlerBuilder MapTesseraHealth(this IEndpointRouteBuilder endpoints, string pattern = "/healthz") =>
        endpoints.MapGet(pattern, HealthEndpoint.CheckAsync).AllowAnonymous();
}
