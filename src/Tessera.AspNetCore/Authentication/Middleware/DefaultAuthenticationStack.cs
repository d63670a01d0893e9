using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using static Tessera.AspNetCore.Authentication.Middleware.FrameworkServices;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// Whether an application authenticates with the framework's own authentication service, handler
/// provider and (no-op) claims transformation: the condition under which
/// <see cref="TesseraAuthenticationMiddleware"/> may authenticate a request without them. Anything
/// replaced (an application's own <see cref="IClaimsTransformation"/> above all) answers false,
/// and the framework's middleware authenticates every request.
/// </summary>
internal static class DefaultAuthenticationStack
{
    public static bool IsDefault(IServiceProvider services)
    {
        try
        {
            // A scope, so scoped registrations resolve as they would for a request.
            using IServiceScope scope = services.CreateScope();
            IServiceProvider request = scope.ServiceProvider;
            return IsFrameworks(request.GetService<IAuthenticationService>(), typeof(AuthenticationService))
                && IsFrameworks(request.GetService<IAuthenticationHandlerProvider>(), typeof(AuthenticationHandlerProvider))
                && IsFrameworks(request.GetService<IClaimsTransformation>(), typeof(NoopClaimsTransformation))
                && request.GetServices<IClaimsTransformation>().Count() == 1;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
