using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// Whether a request's services (<c>HttpContext.RequestServices</c>) are, or will be, a scope of the
/// application's own provider, told without making the scope (making it is a good part of what the
/// fast paths save). Tessera's fast paths (<see cref="TesseraAuthenticationMiddleware"/>,
/// <c>UseTesseraAuthorization()</c>) check the application's services once, at startup, against
/// the root provider; a request whose services came from elsewhere (a multi-tenant application that
/// sets <c>RequestServices</c> to a tenant's container, or replaces the feature) may resolve other
/// authentication or authorization services, so it goes to the framework's middleware.
/// </summary>
/// <remarks>
/// Reads the framework's <see cref="RequestServicesFeature"/> (what <c>DefaultHttpContext</c> makes)
/// through <see cref="UnsafeAccessorAttribute"/>: the scope factory it was made with and whether its
/// services were set. A framework version whose fields differ is found at startup
/// (<see cref="Create"/> answers null) and every request then goes to the framework.
/// </remarks>
internal sealed class RequestServicesOrigin
{
    private readonly IServiceScopeFactory _root;

    private RequestServicesOrigin(IServiceScopeFactory root) => _root = root;

    /// <summary>The check for <paramref name="services"/> (the application's root provider), or null when the framework's feature cannot be read.</summary>
    public static RequestServicesOrigin? Create(IServiceProvider services)
    {
        if (services.GetService<IServiceScopeFactory>() is not { } root)
        {
            return null;
        }

        try
        {
            // The fields exist and mean what we read: a feature made with this factory and not yet asked for its services.
            var probe = new RequestServicesFeature(new DefaultHttpContext(), root);
            return ReferenceEquals(ScopeFactory(probe), root) && !RequestServicesSet(probe) && Scope(probe) is null && Services(probe) is null
                ? new RequestServicesOrigin(root)
                : null;
        }
        catch (MissingFieldException)
        {
            return null;
        }
    }

    /// <summary>True when the request's services are (or will be made as) a scope of the application's provider.</summary>
    public bool IsApplications(HttpContext context)
    {
        IServiceProvidersFeature? feature = context.Features.Get<IServiceProvidersFeature>();
        if (feature is null)
        {
            // Nothing asked for the request's services yet: DefaultHttpContext will make the feature,
            // and the scope, from its scope factory when something does.
            return context is DefaultHttpContext http && ReferenceEquals(http.ServiceScopeFactory, _root);
        }

        if (feature.GetType() != typeof(RequestServicesFeature))
        {
            return false;
        }

        var requestServices = (RequestServicesFeature)feature;
        if (!ReferenceEquals(ScopeFactory(requestServices), _root))
        {
            return false;
        }

        // Not asked for yet: the scope will come from the application's factory. Asked for: still the
        // scope it made, unless something set RequestServices since.
        return !RequestServicesSet(requestServices)
            || (Scope(requestServices) is { } scope && ReferenceEquals(scope.ServiceProvider, Services(requestServices)));
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_scopeFactory")]
    private static extern ref IServiceScopeFactory? ScopeFactory(RequestServicesFeature feature);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_requestServicesSet")]
    private static extern ref bool RequestServicesSet(RequestServicesFeature feature);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_scope")]
    private static extern ref IServiceScope? Scope(RequestServicesFeature feature);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_requestServices")]
    private static extern ref IServiceProvider? Services(RequestServicesFeature feature);
}
