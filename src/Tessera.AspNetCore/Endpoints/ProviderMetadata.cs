using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.OAuth;
using Tessera.OAuth;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// The authorization server's metadata, one document for both discovery paths (OpenID Connect
/// Discovery 1.0 §3 and RFC 8414 §2, whose members coincide). It says only what is true of this
/// host: an endpoint (authorize, userinfo, logout, PAR) is listed when it is mapped, and what
/// depends on it (the code grant, response types, RFC 9207 <c>iss</c>) with it.
/// </summary>
internal static class ProviderMetadata
{
    public const string AuthorizePath = "/oauth2/authorize";
    public const string TokenPath = "/oauth2/token";
    public const string RevokePath = "/oauth2/revoke";
    public const string IntrospectPath = "/oauth2/introspect";
    public const string UserInfoPath = "/oauth2/userinfo";
    public const string LogoutPath = "/oauth2/logout";
    public const string ParPath = "/oauth2/par";

    private static readonly string[] ClientAuthMethodsWithSecretOrKey = [ClientAuthMethods.ClientSecretBasic, ClientAuthMethods.ClientSecretPost, ClientAuthMethods.PrivateKeyJwt];

    public static JsonObject Build(HttpContext http, string issuer, TesseraTokenOptions options)
    {
        HashSet<string> mapped = MappedPaths(http.RequestServices);
        bool authorize = mapped.Contains(AuthorizePath);
        var document = new JsonObject { ["issuer"] = issuer };
        AddIfMapped(document, mapped, issuer, "authorization_endpoint", AuthorizePath);
        document["token_endpoint"] = issuer + TokenPath;
        AddIfMapped(document, mapped, issuer, "userinfo_endpoint", UserInfoPath);
        document["jwks_uri"] = issuer + WellKnownEndpoints.JwksPath;
        AddIfMapped(document, mapped, issuer, "end_session_endpoint", LogoutPath);
        document["revocation_endpoint"] = issuer + RevokePath;
        document["introspection_endpoint"] = issuer + IntrospectPath;
        if (AddIfMapped(document, mapped, issuer, "pushed_authorization_request_endpoint", ParPath))
        {
            document["require_pushed_authorization_requests"] = false;
        }

        document["response_types_supported"] = Array(authorize ? ["code"] : []);
        if (authorize)
        {
            document["response_modes_supported"] = Array("query", "form_post");
            document["prompt_values_supported"] = Array("none", "login", "consent", "select_account");
            // RFC 9207 §3: the authorization response carries iss (mix-up defence).
            document["authorization_response_iss_parameter_supported"] = true;
        }

        document["grant_types_supported"] = Array(authorize ? [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials] : [GrantTypes.RefreshToken, GrantTypes.ClientCredentials]);
        // RFC 9700 §2.1.1: S256 only, plain refused.
        document["code_challenge_methods_supported"] = Array(Pkce.S256);
        document["token_endpoint_auth_methods_supported"] = Array([.. ClientAuthMethods.All]);
        document["token_endpoint_auth_signing_alg_values_supported"] = Array([.. ClientAssertionValidator.Algorithms]);
        document["revocation_endpoint_auth_methods_supported"] = Array([.. ClientAuthMethods.All]);
        document["revocation_endpoint_auth_signing_alg_values_supported"] = Array([.. ClientAssertionValidator.Algorithms]);
        // RFC 7662 §2.1: introspection is protected; a public client authenticates nothing.
        document["introspection_endpoint_auth_methods_supported"] = Array(ClientAuthMethodsWithSecretOrKey);
        document["introspection_endpoint_auth_signing_alg_values_supported"] = Array([.. ClientAssertionValidator.Algorithms]);
        document["scopes_supported"] = Array([.. new[] { Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, options.Scope }.Distinct(StringComparer.Ordinal)]);
        document["claims_supported"] = Array("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "amr", "azp", "at_hash", "preferred_username", "name");
        document["subject_types_supported"] = Array("public");
        // OIDC Core §15.1 requires RS256 among them (the default list: RS256, ES256).
        document["id_token_signing_alg_values_supported"] = Array([.. options.IdTokenSigningAlgorithms]);
        // OIDC Discovery §3: request_uri_parameter_supported defaults to true; Tessera supports neither request objects nor the claims parameter.
        document["request_parameter_supported"] = false;
        document["request_uri_parameter_supported"] = false;
        document["claims_parameter_supported"] = false;
        // RFC 9449 §5.1: the token endpoint accepts DPoP proofs signed with these.
        if (http.RequestServices.GetService<Tessera.Dpop.DpopProofValidator>() is { } dpop)
        {
            document["dpop_signing_alg_values_supported"] = Array([.. dpop.Options.AllowedAlgorithms]);
        }

        return document;
    }

    private static bool AddIfMapped(JsonObject document, HashSet<string> mapped, string issuer, string member, string path)
    {
        if (!mapped.Contains(path))
        {
            return false;
        }

        document[member] = issuer + path;
        return true;
    }

    /// <summary>The route patterns this host maps (the app's composite endpoint data source).</summary>
    private static HashSet<string> MappedPaths(IServiceProvider services)
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (services.GetService<EndpointDataSource>() is { } endpoints)
        {
            foreach (RouteEndpoint endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
            {
                if (endpoint.RoutePattern.RawText is { } raw)
                {
                    paths.Add("/" + raw.Trim('/'));
                }
            }
        }

        return paths;
    }

    private static JsonArray Array(params string[] values) => new([.. values.Select(static v => (JsonNode?)JsonValue.Create(v))]);
}
