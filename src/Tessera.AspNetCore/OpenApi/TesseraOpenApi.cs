using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.OpenApi;

/// <summary>
/// The OpenAPI document of Tessera's endpoints, made by Microsoft.AspNetCore.OpenApi from the
/// endpoints' own metadata (summaries, tags, request and response types) plus what metadata alone
/// cannot say (<see cref="TesseraOpenApiTransformers"/>): the security schemes (session cookie,
/// bearer token, OAuth client authentication), the 401/429/503 answers every protected, limited or
/// store-backed endpoint can give, and Tessera's <c>error</c> member of problem+json.
/// </summary>
public static class TesseraOpenApi
{
    /// <summary>The name of the document (<c>v1</c>).</summary>
    public const string DocumentName = "v1";

    /// <summary>Where <see cref="MapTesseraOpenApi"/> serves the document.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The tag of the first-party account, session and token endpoints (<c>/auth</c>).</summary>
    public const string AuthTag = "Auth";

    /// <summary>The tag of the standard OAuth 2.1 / OpenID Connect endpoints (<c>/oauth2</c>, <c>/.well-known</c>).</summary>
    public const string OAuthTag = "OAuth";

    /// <summary>The tag of the OpenID Provider's browser pages (sign-in, consent, logout).</summary>
    public const string ProviderTag = "Provider";

    /// <summary>The tag of the health endpoints.</summary>
    public const string HealthTag = "Health";

    /// <summary>Adds the OpenAPI document <see cref="DocumentName"/> with Tessera's transformers.</summary>
    public static IServiceCollection AddTesseraOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, TesseraOpenApiTransformers.Configure);

    /// <summary>
    /// Serves the document at <see cref="DocumentPath"/>, anonymously: it describes the public
    /// interface and holds no secret and no personal data.
    /// </summary>
    public static IEndpointConventionBuilder MapTesseraOpenApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
}
