using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The public key set (RFC 7517 §5) and the metadata document (<see cref="ProviderMetadata"/>) at both discovery paths.</summary>
internal static class WellKnownEndpoints
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string AuthorizationServerMetadataPath = "/.well-known/oauth-authorization-server";

    public static async Task<IResult> JwksAsync(HttpContext http, TokenService tokens, CancellationToken cancellationToken)
    {
        Jose.Keys.JwkSet keys = await tokens.PublishedKeysAsync(cancellationToken).ConfigureAwait(false);
        // Short enough that a new key (published an hour before it signs) reaches every cache in time.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(keys.ToJson(includePrivate: false), "application/jwk-set+json");
    }

    /// <summary>OpenID Connect Discovery 1.0 §4 and RFC 8414 §3: the same metadata at both paths.</summary>
    public static IResult Discovery(HttpContext http, TokenService tokens)
    {
        string issuer = TokenIssuer.For(http.Request, tokens.Options);
        // A configured issuer makes the document the same for everyone: shared caches may keep it.
        // One taken from the request's Host must never be cached for another client (RFC 9111 §5.2.2.5).
        http.Response.Headers.CacheControl = tokens.Options.Issuer is null ? "no-store" : "public, max-age=300";
        return TypedResults.Text(ProviderMetadata.Build(http, issuer, tokens.Options).ToJsonString(), "application/json");
    }
}
