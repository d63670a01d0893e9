using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Authorization;

/// <summary><c>UseTesseraAuthorization()</c>: the framework's authorization middleware with a shortcut for authenticated users on "any signed-in user" endpoints.</summary>
public static class TesseraAuthorizationApplicationBuilderExtensions
{
    // What UseAuthorization() writes into the builder's properties (AuthorizationAppBuilderExtensions
    // keeps the constant internal): WebApplication adds UseAuthorization() itself, at the very start of
    // the pipeline, to an application that registered authorization but has not set it.
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>
    /// Use instead of <c>UseAuthorization()</c>, at the same place in the pipeline. Every request is
    /// decided exactly as <c>UseAuthorization()</c> decides it; when the application uses only the
    /// framework's authorization services and handlers, an authenticated user on an endpoint whose
    /// whole policy is "an authenticated user" goes on without the policy being evaluated, which
    /// is most of what authorization costs per request. Those requests do not appear in the
    /// framework's <c>aspnetcore.authorization.attempts</c> metric nor its Debug log of successful
    /// authorizations; everything else does. See docs/benchmarks.md for what it saves.
    /// </summary>
    public static IApplicationBuilder UseTesseraAuthorization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService(typeof(IAuthorizationPolicyProvider)) is null)
        {
            throw new InvalidOperationException("UseTesseraAuthorization needs the authorization services: call services.AddAuthorization().");
        }

        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app.UseMiddleware<AuthenticatedUserFastPath>();
    }
}
