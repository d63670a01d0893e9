using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tessera.AspNetCore.OpenApi;

/// <summary>
/// Documents DPoP (RFC 9449) on the token endpoints: the optional <c>DPoP</c> request header (§4.1)
/// and the <c>DPoP-Nonce</c> response header (§8.1) that comes with <c>use_dpop_nonce</c> and, when
/// nonces are required, with every answer to a proof.
/// </summary>
internal static class DpopOpenApi
{
    private static readonly HashSet<string> TokenPaths = new(["auth/token", "auth/token/refresh", "auth/token/passkey", "oauth2/token"], StringComparer.OrdinalIgnoreCase);

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath is not { } path || !TokenPaths.Contains(path.Trim('/')))
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Tessera.Dpop.DpopTokenTypes.ProofHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "A DPoP proof (RFC 9449 §4) for this request: the tokens are then bound to its key (cnf.jkt, token_type DPoP), and a bound refresh token needs a proof by the same key. Refused with invalid_dpop_proof or use_dpop_nonce (400).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        foreach ((string status, IOpenApiResponse response) in operation.Responses ?? [])
        {
            if ((status == "200" || status == "400") && response is OpenApiResponse writable)
            {
                writable.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                writable.Headers[Tessera.Dpop.DpopTokenTypes.NonceHeader] = new OpenApiHeader
                {
                    Description = "A server nonce for the next DPoP proof (RFC 9449 §8): with use_dpop_nonce, and on every answer to a proof when Tessera:Dpop:RequireNonce is on.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        return Task.CompletedTask;
    }
}
