using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authorization;
using Tessera.AspNetCore.Tests.Bearer;

namespace Tessera.AspNetCore.Tests.Authorization;

/// <summary>
/// <see cref="SingletonAuthorizationServices"/>: the framework's authorization services become
/// singletons only when nothing registered needs one per request, and <c>[Authorize]</c>, role,
/// scope and application policies (and an application's own handler) decide exactly as before.
/// </summary>
public sealed class SingletonAuthorizationServicesTests : BearerTestBase
{
    private static readonly Type[] Services =
    [
        typeof(IAuthorizationPolicyProvider), typeof(IAuthorizationHandlerProvider), typeof(IAuthorizationEvaluator),
        typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationService), typeof(IPolicyEvaluator),
    ];

    [Fact]
    public void TheDefaultSetupBecomesSingletons()
    {
        var services = new ServiceCollection();
        services.AddLogging().AddAuthorization();
        Assert.Contains(services, d => Services.Contains(d.ServiceType) && d.Lifetime != ServiceLifetime.Singleton);

        Assert.True(services.TryMakeAuthorizationServicesSingletons());

        Assert.All(Services, type => Assert.Equal(ServiceLifetime.Singleton, services.Last(d => d.ServiceType == type).Lifetime));
        Assert.All(services.Where(d => d.ServiceType == typeof(IAuthorizationHandler)), d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        using IServiceScope first = provider.CreateScope(), second = provider.CreateScope();
        Assert.Same(first.ServiceProvider.GetRequiredService<IPolicyEvaluator>(), second.ServiceProvider.GetRequiredService<IPolicyEvaluator>());
    }

    [Fact]
    public void AScopedApplicationHandlerLeavesEverythingAsItWas()
    {
        var services = new ServiceCollection();
        services.AddLogging().AddAuthorization();
        services.AddScoped<IAuthorizationHandler, DenyOnHeaderHandler>();
        ServiceDescriptor[] before = [.. services];

        Assert.False(services.TryMakeAuthorizationServicesSingletons());

        Assert.Equal(before, services);
    }

    [Fact]
    public void AnApplicationsOwnTransientAuthorizationServiceLeavesEverythingAsItWas()
    {
        var services = new ServiceCollection();
        services.AddLogging().AddAuthorization();
        services.AddTransient<IAuthorizationService, OwnAuthorizationService>();
        ServiceDescriptor[] before = [.. services];

        Assert.False(services.TryMakeAuthorizationServicesSingletons());

        Assert.Equal(before, services);
    }

    [Fact]
    public async Task PoliciesAndAnApplicationHandlerStillDecideAsBefore()
    {
        bool made = false;
        ResourceServer api = await StartApiAsync(services: s =>
        {
            s.AddSingleton<IAuthorizationHandler, DenyOnHeaderHandler>();
            made = s.TryMakeAuthorizationServicesSingletons();
        });
        Assert.True(made);
        string token = Issuer.Token();
        string clerk = Issuer.Token(d => d.AdditionalClaims!["roles"] = new System.Text.Json.Nodes.JsonArray("clerk"));

        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/me", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/public", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/admin", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/admin", clerk)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/orders", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/orders", token, HttpMethod.Post)).StatusCode);

            using var denied = new HttpRequestMessage(HttpMethod.Get, "/me");
            denied.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            denied.Headers.Add(DenyOnHeaderHandler.Header, "yes");
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.SendAsync(denied)).StatusCode);
        }
    }

    private sealed class OwnAuthorizationService : IAuthorizationService
    {
        public Task<AuthorizationResult> AuthorizeAsync(System.Security.Claims.ClaimsPrincipal user, object? resource, IEnumerable<IAuthorizationRequirement> requirements) =>
            Task.FromResult(AuthorizationResult.Failed());

        public Task<AuthorizationResult> AuthorizeAsync(System.Security.Claims.ClaimsPrincipal user, object? resource, string policyName) =>
            Task.FromResult(AuthorizationResult.Failed());
    }
}
