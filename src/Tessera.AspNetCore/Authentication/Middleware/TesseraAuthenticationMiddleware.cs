using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// ASP.NET Core's <see cref="AuthenticationMiddleware"/> with a cheaper path for the common case:
/// the default authenticate scheme is one of Tessera's handlers, no scheme handles requests itself
/// (<see cref="IAuthenticationRequestHandler"/>: remote sign-in callbacks such as <c>/signin-oidc</c>),
/// and the application uses the framework's authentication services with no claims transformation.
/// Such a request is authenticated as the framework would (the same feature with the original
/// path, the default scheme's handler initialized and asked once, <c>User</c> set when a principal
/// came back, the result features set on success) without a request scope, an authentication
/// service, a handler provider, or the handler's dependencies resolved per request. Every other
/// request, or setup, goes to the framework's middleware unchanged.
/// </summary>
/// <remarks>
/// What a fast-path request does not get: the framework's
/// <c>aspnetcore.authentication.authenticate.duration</c> metric (the authentication service records
/// it). A later <c>AuthenticateAsync()</c> of the default scheme in the same request (a controller,
/// the challenge) answers the same result, as with the framework (see <see cref="AuthenticatedOnce"/>).
/// </remarks>
internal sealed class TesseraAuthenticationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AuthenticationMiddleware _framework;
    private readonly IAuthenticationSchemeProvider _schemes;
    private readonly IServiceProvider _services;
    private readonly RequestServicesOrigin? _origin;

    // Per handler type: how to make it without the request's services, or null (the framework's).
    private readonly ConcurrentDictionary<Type, TesseraHandlerFactory?> _factories = new();

    public TesseraAuthenticationMiddleware(RequestDelegate next, IAuthenticationSchemeProvider schemes, IServiceProvider services)
    {
        _next = next;
        _schemes = schemes;
        _services = services;
        _framework = new AuthenticationMiddleware(next, schemes);
        _origin = DefaultAuthenticationStack.IsDefault(services) ? RequestServicesOrigin.Create(services) : null;
    }

    public Task Invoke(HttpContext context) =>
        _origin is not null && _origin.IsApplications(context) ? FastAsync(context) : _framework.Invoke(context);

    private async Task FastAsync(HttpContext context)
    {
        // Asked on every request, as the framework does: schemes may be added or removed at run time.
        IEnumerable<AuthenticationScheme> requestHandlers = await _schemes.GetRequestHandlerSchemesAsync().ConfigureAwait(false);
        AuthenticationScheme? scheme = await _schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false);
        if (scheme is null
            || requestHandlers.Any()
            || _factories.GetOrAdd(scheme.HandlerType, static (type, services) => TesseraHandlerFactory.For(type, services), _services) is not { } factory)
        {
            await _framework.Invoke(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set<IAuthenticationFeature>(new AuthenticationFeature
        {
            OriginalPath = context.Request.Path,
            OriginalPathBase = context.Request.PathBase,
        });

        // What context.AuthenticateAsync(scheme) does through the framework's service and handler provider.
        context.Features.Set(new AuthenticatedOnce(scheme.Name));
        AuthenticateResult result;
        if (factory.Direct is { } direct && direct.TryAuthenticate(context, scheme, out ValueTask<AuthenticateResult> answer))
        {
            // The handler's code ran without a handler (see DirectAuthentication); the challenge's handler answers the recorded result.
            result = await answer.ConfigureAwait(false);
            LogAnswered(factory.FrameworkLog, scheme.Name, result);
        }
        else
        {
            IAuthenticationHandler handler = factory.Create(_services);
            await handler.InitializeAsync(scheme, context).ConfigureAwait(false);
            // The authentication service would hand back a new ticket of the principal, transformed; with no
            // claims transformation (a condition of this path) that ticket holds the same principal, properties
            // and scheme as the handler's, so the handler's result is used as it is.
            result = await handler.AuthenticateAsync().ConfigureAwait(false) ?? AuthenticateResult.NoResult();
        }

        // Only a success carries a principal. The framework sets User first, then replaces the user
        // feature with these, which carry the same principal; setting User makes a feature when there
        // is none (Kestrel's usual case), only to drop it, so that step is taken only when an earlier
        // feature (a server's Windows authentication, an earlier middleware's) is there to receive it.
        if (result.Succeeded)
        {
            if (context.Features.Get<IHttpAuthenticationFeature>() is not null)
            {
                context.User = result.Principal;
            }

            var features = new AuthenticationFeatures(result);
            context.Features.Set<IHttpAuthenticationFeature>(features);
            context.Features.Set<IAuthenticateResultFeature>(features);
        }

        await _next(context).ConfigureAwait(false);
    }

    // As AuthenticationHandler<TOptions>.AuthenticateAsync logs its answer.
    private static void LogAnswered(ILogger log, string scheme, AuthenticateResult result)
    {
        if (result.Failure is { } failure)
        {
            DirectAuthenticationLog.NotAuthenticatedWithFailure(log, scheme, failure.Message);
        }
        else if (result.Principal is not null)
        {
            DirectAuthenticationLog.Authenticated(log, scheme);
        }
        else
        {
            DirectAuthenticationLog.NotAuthenticated(log, scheme);
        }
    }
}
