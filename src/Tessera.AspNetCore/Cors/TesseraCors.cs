using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Tessera.AspNetCore.Cors;

/// <summary>
/// Tessera's two CORS policies (ASP.NET Core's CORS middleware, <c>UseTessera</c> runs it): public
/// metadata — discovery, RFC 8414 metadata, the JWKS — to any origin without credentials; the
/// endpoints a browser client calls with its tokens (<c>/oauth2/token</c>, <c>/oauth2/revoke</c>,
/// userinfo) only to the origins registered for some client (<see cref="Tessera.OAuth.OAuthClient.CorsOrigins"/>),
/// also without credentials: those requests carry tokens, never cookies.
/// </summary>
public static class TesseraCors
{
    /// <summary>Any origin, GET, no credentials.</summary>
    public const string PublicPolicy = "Tessera.Public";

    /// <summary>The origins some registered client lists (<see cref="RegisteredClientOrigins"/>).</summary>
    public const string ClientsPolicy = "Tessera.Clients";

    /// <summary>How long a browser may cache a preflight answer.</summary>
    internal static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    /// <summary>Serves the endpoint to any origin (public metadata: no credentials, nothing personal).</summary>
    public static TBuilder RequirePublicCors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireCors(PublicPolicy);

    /// <summary>
    /// Serves the endpoint, preflight included, only to the origins registered for some client: for
    /// endpoints a browser app calls with its tokens (token, revocation, userinfo).
    /// </summary>
    public static TBuilder RequireClientCors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireCors(ClientsPolicy);

    internal static void AddPublicPolicy(CorsOptions options) =>
        options.AddPolicy(PublicPolicy, policy => policy.AllowAnyOrigin().WithMethods("GET").AllowAnyHeader().SetPreflightMaxAge(PreflightMaxAge));

    /// <summary>
    /// The policy for one registered <paramref name="origin"/>. A predicate rather than an origin
    /// list, so the answer carries <c>Vary: Origin</c>: another origin gets another answer.
    /// </summary>
    internal static CorsPolicy ForClientOrigin(string origin) =>
        new CorsPolicyBuilder()
            .SetIsOriginAllowed(candidate => string.Equals(candidate, origin, StringComparison.OrdinalIgnoreCase))
            .WithMethods("GET", "POST")
            .WithHeaders("Authorization", "Content-Type", "DPoP")
            .WithExposedHeaders("WWW-Authenticate", "DPoP-Nonce")
            .SetPreflightMaxAge(PreflightMaxAge)
            .Build();

    /// <summary>A policy that allows no origin: the middleware adds no CORS header and the browser keeps the answer from the page.</summary>
    internal static CorsPolicy NoOrigin { get; } = new CorsPolicyBuilder().WithMethods("GET", "POST").Build();
}
