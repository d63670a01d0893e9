using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Middleware;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// ASP.NET Core's <see cref="AuthorizationMiddleware"/> with a shortcut for the commonest case: an
/// endpoint whose whole combined policy is "an authenticated user" (<c>RequireAuthorization()</c> or
/// <c>[Authorize]</c> with the default policy) and a request whose user is authenticated. With the
/// framework's own authorization services and handlers (<see cref="DefaultAuthorizationStack"/>)
/// that request always goes on to the endpoint: the policy's one requirement,
/// <see cref="DenyAnonymousAuthorizationRequirement"/>, succeeds exactly when one of the user's
/// identities is authenticated, and nothing else gets a say. The shortcut decides the same without
/// evaluating the policy (no policy evaluator, authorization service, handler context or result
/// handler for the request). Every other request, endpoint or setup goes to the framework's
/// middleware unchanged: role, scope, claim and application policies, policies naming schemes,
/// anonymous users (their challenge), requirements carried as endpoint metadata
/// (<see cref="IAuthorizationRequirementData"/>), an application's own authorization handler or service.
/// </summary>
/// <remarks>
/// What a shortcut request does not get, as it skips the evaluation: the framework's Debug log
/// "Authorization was successful" and its <c>aspnetcore.authorization.attempts</c> metric.
/// </remarks>
internal sealed class AuthenticatedUserFastPath
{
    // EndpointMiddleware refuses to run an endpoint with authorization metadata unless this item says
    // an authorization middleware saw it (the framework's own key, checked with ContainsKey).
    private const string EndpointSeenKey = "__AuthorizationMiddlewareWithEndpointInvoked";
    private static readonly object EndpointSeen = new();

    private readonly RequestDelegate _next;
    private readonly AuthorizationMiddleware _framework;
    private readonly IAuthorizationPolicyProvider _policies;
    private readonly bool _defaultStack;

    // The services were checked once, against the application's provider: a request whose services
    // come from elsewhere (a tenant's container) may authorize with others, and goes to the framework.
    private readonly RequestServicesOrigin? _origin;

    // Per endpoint: whether its combined policy is "an authenticated user" and nothing else.
    private readonly ConditionalWeakTable<Endpoint, StrongBox<bool>> _authenticatedUserOnly = new();

    public AuthenticatedUserFastPath(RequestDelegate next, IAuthorizationPolicyProvider policies, IServiceProvider services, ILogger<AuthorizationMiddleware> logger)
    {
        _next = next;
        _policies = policies;
        _framework = new AuthorizationMiddleware(next, policies, services, logger);
        _origin = RequestServicesOrigin.Create(services);
        _defaultStack = _origin is not null && DefaultAuthorizationStack.IsDefault(services, policies);
    }

    public Task Invoke(HttpContext context)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (_defaultStack
            && endpoint is not null
            && _authenticatedUserOnly.TryGetValue(endpoint, out StrongBox<bool>? only) && only.Value
            && IsAuthenticated(context.User)
            && _origin!.IsApplications(context)
            && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is not null)
        {
            context.Items[EndpointSeenKey] = EndpointSeen;
            return _next(context);
        }

        return FrameworkAsync(context, endpoint);
    }

    private async Task FrameworkAsync(HttpContext context, Endpoint? endpoint)
    {
        if (_defaultStack && endpoint is not null && !_authenticatedUserOnly.TryGetValue(endpoint, out _))
        {
            _authenticatedUserOnly.AddOrUpdate(endpoint, new StrongBox<bool>(await IsAuthenticatedUserOnlyAsync(endpoint).ConfigureAwait(false)));
        }

        await _framework.Invoke(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The endpoint's policy, combined exactly as the framework's middleware combines it (with a policy
    /// provider that allows caching, so the same every time), is one <see cref="DenyAnonymousAuthorizationRequirement"/>
    /// and names no scheme; an endpoint that allows anonymous users is left to the framework.
    /// </summary>
    private async Task<bool> IsAuthenticatedUserOnlyAsync(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        // Requirements an endpoint carries as metadata (.NET 8+): the framework's middleware adds them
        // to the policy after combining it, and the pass-through handler evaluates them (roles, claims,
        // an application's own self-handling requirement). Such an endpoint is the framework's to decide.
        if (endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is not null)
        {
            return false;
        }

        AuthorizationPolicy? policy = await AuthorizationPolicy.CombineAsync(
            _policies,
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>()).ConfigureAwait(false);
        return policy is { AuthenticationSchemes.Count: 0, Requirements: [DenyAnonymousAuthorizationRequirement requirement] }
            && requirement.GetType() == typeof(DenyAnonymousAuthorizationRequirement);
    }

    /// <summary>What <see cref="DenyAnonymousAuthorizationRequirement"/> asks: an identity, and one of the user's identities authenticated.</summary>
    private static bool IsAuthenticated(ClaimsPrincipal? user)
    {
        if (user?.Identity is null)
        {
            return false;
        }

        foreach (ClaimsIdentity identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
    }
}
