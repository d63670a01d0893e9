using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.OpenApi;

/// <summary>The document, operation and schema transformers of <see cref="TesseraOpenApi.AddTesseraOpenApi"/>.</summary>
internal static class TesseraOpenApiTransformers
{
    public const string SessionScheme = "sessionCookie";
    public const string BearerScheme = "bearer";
    public const string ClientScheme = "clientBasic";
    private const string ProblemSchema = "ProblemDetails";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeOperationAsync);
        options.AddOperationTransformer(DpopOpenApi.DescribeAsync);
        options.AddSchemaTransformer(MarkRequiredAsync);
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Tessera",
            Version = TesseraOpenApi.DocumentName,
            Description = "Sessions, tokens and an OAuth 2.1 / OpenID Connect provider. Errors are RFC 9457 problem+json with a stable `error` code "
                + "(RFC 6749 §5.2 error objects on the /oauth2 endpoints).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "__Host-tessera-session",
            Description = "The first-party session cookie set by POST /auth/session (or the token cookies of POST /auth/token?delivery=cookie).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /auth/token or /oauth2/token (RFC 6750; DPoP-bound tokens use the DPoP scheme, RFC 9449).",
        };
        document.Components.SecuritySchemes[ClientScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "OAuth client authentication (RFC 6749 §2.3.1); client_secret_post and private_key_jwt go in the form instead.",
        };

        // Tessera's problem+json carries the stable code in `error` (and a finer `reason`).
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach ((string name, IOpenApiSchema schema) in document.Components.Schemas)
        {
            if (schema is OpenApiSchema problem && name is ProblemSchema or "HttpValidationProblemDetails")
            {
                problem.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                problem.Properties[TesseraProblems.ErrorMember] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable error code clients branch on (TesseraErrorCodes)." };
                problem.Properties[TesseraProblems.ReasonMember] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A finer cause behind `error`, such as `expired` behind `invalid_token`." };
                problem.Required ??= new HashSet<string>(StringComparer.Ordinal);
                problem.Required.Add(TesseraProblems.ErrorMember);
                problem.Required.Add("status");
            }
        }

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = TesseraOpenApi.AuthTag, Description = "First-party accounts, sessions, session attributes and tokens (JSON, CSRF-checked, no-store)." },
            new() { Name = TesseraOpenApi.OAuthTag, Description = "OAuth 2.1 / OpenID Connect token, revocation, introspection, userinfo, discovery and JWKS." },
            new() { Name = TesseraOpenApi.ProviderTag, Description = "The OpenID Provider's browser pages: authorization, sign-in, consent, logout (HTML)." },
            new() { Name = TesseraOpenApi.HealthTag, Description = "Liveness and readiness." },
        };
        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        IList<object> metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (metadata.OfType<FormBodyMetadata>().FirstOrDefault() is { } form)
        {
            // RFC 6749 §3.2 and the pages' posts: application/x-www-form-urlencoded, read by hand.
            OpenApiSchema schema = await context.GetOrCreateSchemaAsync(form.FormType, null, cancellationToken).ConfigureAwait(false);
            context.Document!.Components ??= new OpenApiComponents();
            context.Document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            context.Document.Components.Schemas[form.FormType.Name] = schema;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    [OAuthForms.ContentType] = new() { Schema = new OpenApiSchemaReference(form.FormType.Name, context.Document) },
                },
            };
        }

        bool anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous && metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            AddProblem(operation, context, StatusCodes.Status401Unauthorized, "Not signed in, or the credential is expired or revoked (`unauthenticated`, `invalid_token`).");
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "Too many attempts (`rate_limited`), with Retry-After.");
        }

        if (!metadata.OfType<ExcludeStoreOutageAttribute>().Any())
        {
            // Every endpoint that reads a store answers a store outage this way (with Retry-After).
            AddProblem(operation, context, StatusCodes.Status503ServiceUnavailable, "A store did not answer (`store_unavailable`) or the key ring is unusable (`key_ring_unavailable`); Retry-After says when to try again.");
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description)
    {
        string key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
            },
        };
    }

    /// <summary>
    /// A property is required when the constructor of its record takes it without a default and it
    /// is never null: such a member is always in the JSON. The generator does not say so by itself,
    /// and without it a client (and the response checks in the tests) would know nothing is there.
    /// </summary>
    private static Task MarkRequiredAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || context.JsonTypeInfo.Type.Namespace?.StartsWith("Tessera", StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties)
        {
            // Left out when null (or default): such a member is not always there, whatever its constructor says.
            if (property.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: false)
                .OfType<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(i => i.Condition != System.Text.Json.Serialization.JsonIgnoreCondition.Never) == true)
            {
                schema.Required?.Remove(property.Name);
                continue;
            }

            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false } && !property.IsGetNullable && schema.Properties?.ContainsKey(property.Name) == true)
            {
                schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                schema.Required.Add(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Marks an endpoint that never reads a store, so it does not document the store outage's 503.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class ExcludeStoreOutageAttribute : Attribute;
