using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using static Tessera.AspNetCore.Authentication.Middleware.FrameworkServices;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// Whether an application authorizes with the framework's own services and nothing of its own: the
/// condition under which <see cref="AuthenticatedUserFastPath"/> may decide a request without
/// evaluating its policy. Any service replaced (by the application or a library), any handler besides
/// the framework's pass-through one, or a policy provider that does not allow caching (its policies
/// may change from one request to the next) answers false, and the framework's middleware decides
/// every request.
/// </summary>
internal static class DefaultAuthorizationStack
{
    public static bool IsDefault(IServiceProvider services, IAuthorizationPolicyProvider policies)
    {
        if (!policies.AllowsCachingPolicies || !IsFrameworks(policies, typeof(DefaultAuthorizationPolicyProvider)))
        {
            return false;
        }

        try
        {
            // A scope, so scoped registrations resolve as they would for a request.
            using IServiceScope scope = services.CreateScope();
            IServiceProvider request = scope.ServiceProvider;
            return IsFrameworks(request.GetService<IPolicyEvaluator>(), typeof(PolicyEvaluator))
                && IsFrameworks(request.GetService<IAuthorizationService>(), typeof(DefaultAuthorizationService))
                && IsFrameworks(request.GetService<IAuthorizationHandlerProvider>(), typeof(DefaultAuthorizationHandlerProvider))
                && IsFrameworks(request.GetService<IAuthorizationEvaluator>(), typeof(DefaultAuthorizationEvaluator))
                && IsFrameworks(request.GetService<IAuthorizationHandlerContextFactory>(), typeof(DefaultAuthorizationHandlerContextFactory))
                && IsFrameworks(request.GetService<IAuthorizationMiddlewareResultHandler>(), typeof(AuthorizationMiddlewareResultHandler))
                && request.GetServices<IAuthorizationHandler>().All(handler => handler?.GetType() == typeof(PassThroughAuthorizationHandler));
        }
        catch (InvalidOperationException)
        {
            // A registration that cannot be resolved outside a request: not the framework's defaults.
            return false;
        }
    }
}
