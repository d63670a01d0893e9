using Tessera.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.OpenApi;
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
        // GET and POST mapped apart so that the document can say the POST is a form (OpenID Connect Core §3.1.2.1).
        endpoints.MapGet(ProviderPaths.Authorize, AuthorizeEndpoint.AuthorizeAsync).AllowAnonymous().DisableAntiforgery()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("Authorization endpoint, parameters in the query (RFC 6749 §4.1.1, PKCE required)")
            .Produces(StatusCodes.Status302Found).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        endpoints.MapPost(ProviderPaths.Authorize, AuthorizeEndpoint.AuthorizeAsync).AllowAnonymous().DisableAntiforgery()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("Authorization endpoint, parameters in a form")
            .WithFormBody<AuthorizeForm>().Produces(StatusCodes.Status303SeeOther).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);

        endpoints.MapGet(ProviderPaths.SignIn, SignInPage.ShowAsync).AllowAnonymous()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("The sign-in page of a pending authorization request").ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        endpoints.MapPost(ProviderPaths.SignIn, SignInPage.SubmitAsync).AllowAnonymous().DisableAntiforgery()
            .RequireCsrfProtection().RequireRateLimiting(TesseraRateLimiting.SignInPolicy)
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("Submit the sign-in page").WithFormBody<SignInForm>()
            .Produces(StatusCodes.Status303SeeOther).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        endpoints.MapGet(ProviderPaths.Consent, ConsentPage.ShowAsync).AllowAnonymous()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("The consent page of a pending authorization request").Produces(StatusCodes.Status302Found).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        endpoints.MapPost(ProviderPaths.Consent, ConsentPage.SubmitAsync).AllowAnonymous().DisableAntiforgery().RequireCsrfProtection()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("Allow or deny on the consent page").WithFormBody<ConsentForm>()
            .Produces(StatusCodes.Status303SeeOther).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);

        // RP-initiated logout takes cross-site requests by design; its own confirmation form is checked inside.
        endpoints.MapGet(ProviderPaths.Logout, LogoutEndpoint.LogoutAsync).AllowAnonymous().DisableAntiforgery()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("RP-initiated logout, parameters in the query (OpenID Connect RP-Initiated Logout §2)")
            .Produces(StatusCodes.Status302Found).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        endpoints.MapPost(ProviderPaths.Logout, LogoutEndpoint.LogoutAsync).AllowAnonymous().DisableAntiforgery()
            .WithTags(TesseraOpenApi.ProviderTag).WithSummary("RP-initiated logout, parameters in a form (and the confirmation page's answer)")
            .WithFormBody<LogoutForm>().Produces(StatusCodes.Status303SeeOther).ProducesHtml(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        // A single-page app on another origin calls userinfo with its bearer token: CORS for the clients' registered origins.
        endpoints.MapMethods(ProviderPaths.UserInfo, [HttpMethods.Get, HttpMethods.Post], UserInfoEndpoint.GetAsync).AllowAnonymous().DisableAntiforgery().RequireClientCors()
            .WithTags(TesseraOpenApi.OAuthTag).WithSummary("The signed-in user's claims for an access token with the openid scope (OpenID Connect Core §5.3)")
            .Produces<UserInfoDocument>().Produces<BearerErrorDocument>(StatusCodes.Status400BadRequest).Produces<BearerErrorDocument>(StatusCodes.Status401Unauthorized)
            .Produces<BearerErrorDocument>(StatusCodes.Status403Forbidden);

        RouteGroupBuilder auth = endpoints.MapGroup(authPrefix).RequireCsrfProtection().RequireFirstPartySession()
            .WithTags(TesseraOpenApi.AuthTag).ProducesProblem(StatusCodes.Status403Forbidden);
        auth.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });
        auth.MapGet(ProviderPaths.Consents, ConsentEndpoints.ListAsync).RequireAuthorization()
            .WithSummary("The applications the user has allowed").Produces<ConsentListResponse>();
        auth.MapDelete(ProviderPaths.Consents + "/{clientId}", ConsentEndpoints.RevokeAsync).RequireAuthorization()
            .WithSummary("Withdraw the consent given to an application (ends its sessions)").Produces<RevokedResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }
}
