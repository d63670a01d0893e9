using Tessera.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.RateLimiting;

namespace Tessera.AspNetCore.Provider;

/// <summary>Maps the OAuth 2.1 / OpenID Connect provider's endpoints (authorize, sign-in and consent pages, userinfo, logout).</summary>
public static class ProviderEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the OpenID Provider's browser-facing endpoints: <c>/oauth2/authorize</c>, the sign-in
    /// and consent pages, <c>/oauth2/userinfo</c>, <c>/oauth2/logout</c>, and the user's consents
    /// under <paramref name="authPrefix"/> (<c>/auth/consents</c>, with the auth group's conventions:
    /// CSRF-checked, <c>no-store</c>, authenticated). The pages' forms are same-origin posts, so they
    /// are CSRF-checked too; the authorization endpoint takes cross-site requests by design.
    /// </summary>
    public static IEndpointRouteBuilder MapTesseraProvider(this IEndpointRouteBuilder endpoints, string authPrefix = "/auth")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(ProviderPaths.Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.AuthorizeAsync).AllowAnonymous().DisableAntiforgery();

        endpoints.MapGet(ProviderPaths.SignIn, SignInPage.ShowAsync).AllowAnonymous();
        endpoints.MapPost(ProviderPaths.SignIn, SignInPage.SubmitAsync).AllowAnonymous().DisableAntiforgery()
            .RequireCsrfProtection().RequireRateLimiting(TesseraRateLimiting.SignInPolicy);
        endpoints.MapGet(ProviderPaths.Consent, ConsentPage.ShowAsync).AllowAnonymous();
        endpoints.MapPost(ProviderPaths.Consent, ConsentPage.SubmitAsync).AllowAnonymous().DisableAntiforgery().RequireCsrfProtection();

        // RP-initiated logout takes cross-site requests by design; its own confirmation form is checked inside.
        endpoints.MapMethods(ProviderPaths.Logout, [HttpMethods.Get, HttpMethods.Post], LogoutEndpoint.LogoutAsync).AllowAnonymous().DisableAntiforgery();
        // A single-page app on another origin calls userinfo with its bearer token: CORS for the clients' registered origins.
        endpoints.MapMethods(ProviderPaths.UserInfo, [HttpMethods.Get, HttpMethods.Post], UserInfoEndpoint.GetAsync).AllowAnonymous().DisableAntiforgery().RequireClientCors();

        RouteGroupBuilder auth = endpoints.MapGroup(authPrefix).RequireCsrfProtection().RequireFirstPartySession();
        auth.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });
        auth.MapGet(ProviderPaths.Consents, ConsentEndpoints.ListAsync).RequireAuthorization();
        auth.MapDelete(ProviderPaths.Consents + "/{clientId}", ConsentEndpoints.RevokeAsync).RequireAuthorization();
        return endpoints;
    }
}
