using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Authentication.IssuedBearer;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// Makes one of Tessera's handlers for a request the way the framework's handler provider does
/// (<c>ActivatorUtilities.CreateInstance(RequestServices, HandlerType)</c>), without resolving its
/// dependencies per request: every constructor argument is resolved once and must be a singleton
/// (the same instance from two scopes), so the handler gets exactly what a request scope would give
/// it. A handler type that is not Tessera's, or that needs a scoped or transient service, gets no
/// factory and its requests go to the framework's middleware.
/// </summary>
internal sealed class TesseraHandlerFactory
{
    // The handlers that honour AuthenticatedOnce (a later AuthenticateAsync in the request answers the recorded result).
    private static readonly Type[] Handlers = [typeof(SessionCookieHandler), typeof(IssuedBearerHandler), typeof(TesseraBearerHandler)];

    private readonly ObjectFactory _create;
    private readonly object?[] _arguments;

    private TesseraHandlerFactory(ObjectFactory create, object?[] arguments, DirectAuthentication? direct, ILogger frameworkLog)
    {
        _create = create;
        _arguments = arguments;
        Direct = direct;
        FrameworkLog = frameworkLog;
    }

    /// <summary>How a request of this handler's scheme may be authenticated without making the handler, if it may.</summary>
    public DirectAuthentication? Direct { get; }

    /// <summary>The logger the framework's handler base class writes to (category: the handler type's full name).</summary>
    public ILogger FrameworkLog { get; }

    /// <summary>A new handler, not yet initialized.</summary>
    public IAuthenticationHandler Create(IServiceProvider services) => (IAuthenticationHandler)_create(services, _arguments);

    /// <summary>The factory of <paramref name="handlerType"/>, or null when its requests must go to the framework.</summary>
    public static TesseraHandlerFactory? For(Type handlerType, IServiceProvider services)
    {
        if (Array.IndexOf(Handlers, handlerType) < 0
            || handlerType.GetConstructors(BindingFlags.Public | BindingFlags.Instance) is not [ConstructorInfo constructor])
        {
            return null;
        }

        Type[] parameters = Array.ConvertAll(constructor.GetParameters(), p => p.ParameterType);
        var arguments = new object?[parameters.Length];
        try
        {
            using IServiceScope first = services.CreateScope();
            using IServiceScope second = services.CreateScope();
            for (int i = 0; i < parameters.Length; i++)
            {
                object? one = first.ServiceProvider.GetService(parameters[i]);
                if (one is null || !ReferenceEquals(one, second.ServiceProvider.GetService(parameters[i])))
                {
                    return null;
                }

                arguments[i] = one;
            }
        }
        catch (InvalidOperationException)
        {
            // A dependency that cannot be resolved here: leave the handler to the framework.
            return null;
        }

        // Every argument is a singleton (checked above), so the direct path's services are the handler's own.
        return new TesseraHandlerFactory(
            ActivatorUtilities.CreateFactory(handlerType, parameters),
            arguments,
            DirectAuthentication.For(handlerType, services),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(handlerType.FullName!));
    }
}
