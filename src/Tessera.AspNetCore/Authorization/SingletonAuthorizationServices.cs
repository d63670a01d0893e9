using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// The cheapest authorization setup that keeps <c>[Authorize]</c>, <c>RequireAuthorization</c> and
/// policies working as they do: ASP.NET Core registers its authorization services as transient, so
/// the authorization middleware builds a policy evaluator, an authorization service, a policy
/// provider, a handler provider (and its handler list), an evaluator and a context factory on every
/// request that reaches an endpoint with authorization metadata. All of them are stateless; when
/// nothing the application registered needs a fresh one per request, they can be singletons.
/// (The combined policy of an endpoint is already computed once and cached by the framework, and
/// an endpoint without authorization metadata already skips the work.)
/// </summary>
public static class SingletonAuthorizationServices
{
    // The framework's defaults and the interfaces they serve, in dependency order (each depends only on earlier ones).
    private static readonly (Type Service, Type Implementation)[] Defaults =
    [
        (typeof(IAuthorizationPolicyProvider), typeof(DefaultAuthorizationPolicyProvider)),
        (typeof(IAuthorizationHandlerProvider), typeof(DefaultAuthorizationHandlerProvider)),
        (typeof(IAuthorizationEvaluator), typeof(DefaultAuthorizationEvaluator)),
        (typeof(IAuthorizationHandlerContextFactory), typeof(DefaultAuthorizationHandlerContextFactory)),
        (typeof(IAuthorizationService), typeof(DefaultAuthorizationService)),
        (typeof(IPolicyEvaluator), typeof(PolicyEvaluator)),
    ];

    /// <summary>
    /// Makes the framework's own authorization services singletons, when that cannot change what
    /// they do: every one of them is the framework's default (or already a singleton), and every
    /// <see cref="IAuthorizationHandler"/> registered is a singleton or the framework's stateless
    /// <see cref="PassThroughAuthorizationHandler"/>. Otherwise (say an application handler is
    /// scoped, to use a per-request database context) nothing is changed: a singleton handler
    /// provider would hold that handler for ever. Call it after every other registration
    /// (handlers and policy providers included); returns whether the services were made singletons.
    /// </summary>
    public static bool TryMakeAuthorizationServicesSingletons(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (ServiceDescriptor handler in services.Where(d => d.ServiceType == typeof(IAuthorizationHandler)))
        {
            if (handler.Lifetime != ServiceLifetime.Singleton && handler.ImplementationType != typeof(PassThroughAuthorizationHandler))
            {
                return false;
            }
        }

        var replaced = new List<(ServiceDescriptor Old, ServiceDescriptor New)>();
        foreach ((Type service, Type implementation) in Defaults)
        {
            // The last registration is the one resolved; an application's own (other type, or a factory) keeps its lifetime only if singleton.
            ServiceDescriptor? current = services.LastOrDefault(d => d.ServiceType == service && !d.IsKeyedService);
            if (current is null || current.Lifetime == ServiceLifetime.Singleton)
            {
                continue;
            }

            // The default, or the framework's own subclass of it (IAuthorizationService is registered as an
            // internal DefaultAuthorizationService that also records metrics); never an application's type.
            if (current.ImplementationType is not { } registered
                || !implementation.IsAssignableFrom(registered)
                || registered.Assembly != implementation.Assembly)
            {
                return false;
            }

            replaced.Add((current, ServiceDescriptor.Singleton(service, registered)));
        }

        foreach ((ServiceDescriptor old, ServiceDescriptor singleton) in replaced)
        {
            services[services.IndexOf(old)] = singleton;
        }

        ServiceDescriptor? passThrough = services.FirstOrDefault(d => d.ServiceType == typeof(IAuthorizationHandler) && d.ImplementationType == typeof(PassThroughAuthorizationHandler));
        if (passThrough is not null && passThrough.Lifetime != ServiceLifetime.Singleton)
        {
            services[services.IndexOf(passThrough)] = ServiceDescriptor.Singleton<IAuthorizationHandler, PassThroughAuthorizationHandler>();
        }

        return true;
    }
}
