using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary><c>UseTesseraAuthentication()</c>: the framework's authentication middleware with a cheaper path when the default scheme is one of Tessera's.</summary>
public static class TesseraAuthenticationApplicationBuilderExtensions
{
    // What UseAuthentication() writes into the builder's properties (kept internal by the framework):
    // WebApplication adds UseAuthentication() itself, at the very start of the pipeline, to an
    // application that registered authentication but has not set it.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// Use instead of <c>UseAuthentication()</c>, at the same place in the pipeline. Every request is
    /// authenticated exactly as <c>UseAuthentication()</c> authenticates it; when the default
    /// authenticate scheme is one of Tessera's handlers (the session cookie, the server's bearer, the
    /// resource-server bearer), no scheme handles requests itself (remote sign-in callbacks) and the
    /// application keeps the framework's authentication services without a claims transformation,
    /// the request is authenticated without a request scope, the authentication service or the
    /// handler provider. Those requests do not appear in the framework's
    /// <c>aspnetcore.authentication.authenticate.duration</c> metric; everything else does. See
    /// docs/resource-servers.md.
    /// </summary>
    public static IApplicationBuilder UseTesseraAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService(typeof(IAuthenticationSchemeProvider)) is null)
        {
            throw new InvalidOperationException("UseTesseraAuthentication needs the authentication services: call services.AddAuthentication().");
        }

        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseMiddleware<TesseraAuthenticationMiddleware>();
    }
}
