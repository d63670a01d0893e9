using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The public key set (RFC 7517 §5) and the discovery document (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).</summary>
internal static class WellKnownEndpoints
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    public static async Task<IResult> JwksAsync(HttpContext http, TokenService tokens, CancellationToken cancellationToken)
    {
        Jose.Keys.JwkSet keys = await tokens.PublishedKeysAsync(cancellationToken).ConfigureAwait(false);
        // Short enough that a new key (published an hour before it signs) reaches every cache in time.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(keys.ToJson(includePrivate: false), "application/jwk-set+json");
    }

    public static IResult Discovery(HttpContext http, TokenService tokens, Microsoft.Extensions.Options.IOptions<TesseraIntrospectionOptions> introspection)
    {
        string issuer = TokenIssuer.For(http.Request, tokens.Options);
        var document = new JsonObject
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = issuer + JwksPath,
            ["token_endpoint"] = issuer + "/oauth2/token",
            ["revocation_endpoint"] = issuer + "/oauth2/revoke",
            ["grant_types_supported"] = new JsonArray("refresh_token"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
            ["revocation_endpoint_auth_methods_supported"] = new JsonArray("none"),
            ["response_types_supported"] = new JsonArray(),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray(tokens.Options.Algorithm),
            ["token_endpoint_auth_signing_alg_values_supported"] = new JsonArray(tokens.Options.Algorithm),
            ["scopes_supported"] = new JsonArray(tokens.Options.Scope),
            ["claims_supported"] = new JsonArray("iss", "sub", "aud", "exp", "iat", "jti", "sid", "scope", "roles", "client_id"),
        };
        if (introspection.Value.Clients.Count > 0)
        {
            document["introspection_endpoint"] = issuer + "/oauth2/introspect";
            document["introspection_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic");
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(document.ToJsonString(), "application/json");
    }
}
