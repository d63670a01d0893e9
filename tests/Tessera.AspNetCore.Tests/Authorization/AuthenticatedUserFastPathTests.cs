using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Tests.Bearer;

namespace Tessera.AspNetCore.Tests.Authorization;

/// <summary>
/// <c>UseTesseraAuthorization()</c>: every request decided as <c>UseAuthorization()</c> decides it;
/// the shortcut (no policy evaluation) taken only for an authenticated user on an endpoint whose
/// whole policy is "an authenticated user", and never when the application has a handler of its own.
/// </summary>
public sealed class AuthenticatedUserFastPathTests : BearerTestBase
{
    [Fact]
    public async Task EveryRequestIsDecidedAsTheFrameworkDecidesIt()
    {
        ResourceServer api = await StartApiAsync(fastAuthorization: true);
        string token = Issuer.Token();
        string clerk = Issuer.Token(d => d.AdditionalClaims!["roles"] = new System.Text.Json.Nodes.JsonArray("clerk"));

        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
            HttpResponseMessage anonymous = await api.GetAsync("/me", null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/me", token + "x")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/public", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/admin", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/admin", clerk)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/admin", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/orders", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/orders", token, HttpMethod.Post)).StatusCode);
        }
    }

    [Fact]
    public async Task ARequirementCarriedAsEndpointMetadataIsEvaluated()
    {
        // RequireAuthorization() plus an IAuthorizationRequirementData (the auditor role): the combined
        // policy alone looks like "an authenticated user", the metadata's requirement refuses.
        ResourceServer fast = await StartApiAsync(fastAuthorization: true);
        ResourceServer framework = await StartApiAsync();
        string token = Issuer.Token();

        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await framework.GetAsync("/audit", token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await fast.GetAsync("/audit", token)).StatusCode);
        }
    }

    [Fact]
    public async Task AnApplicationsOwnHandlerStillDecides()
    {
        ResourceServer api = await StartApiAsync(services: s => s.AddSingleton<IAuthorizationHandler, DenyOnHeaderHandler>(), fastAuthorization: true);
        string token = Issuer.Token();

        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
            using var denied = new HttpRequestMessage(HttpMethod.Get, "/me");
            denied.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            denied.Headers.Add(DenyOnHeaderHandler.Header, "yes");
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.SendAsync(denied)).StatusCode);
        }
    }

    [Fact]
    public async Task AChangedDefaultPolicyIsEvaluated()
    {
        ResourceServer api = await StartApiAsync(
            services: s => s.Configure<AuthorizationOptions>(o => o.DefaultPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole("auditor").Build()),
            fastAuthorization: true);
        string token = Issuer.Token();

        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/me", token)).StatusCode);
        }
    }

    [Fact]
    public async Task OnlyAuthenticatedUsersOnAuthenticatedUserOnlyEndpointsSkipTheEvaluation()
    {
        // The framework counts every policy evaluation (aspnetcore.authorization.attempts): the
        // shortcut is the one thing that does not. Counted per application (its meter factory).
        ResourceServer fast = await StartApiAsync(fastAuthorization: true);
        ResourceServer framework = await StartApiAsync();
        string token = Issuer.Token();
        using var fastCount = new MeasurementCounter(fast.Services, MeasurementCounter.AuthorizationAttempts);
        using var frameworkCount = new MeasurementCounter(framework.Services, MeasurementCounter.AuthorizationAttempts);

        // The first request of an endpoint goes through the framework while the endpoint is looked at.
        Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/me", token)).StatusCode);
        long afterFirst = fastCount.Count;
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/me", token)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await framework.GetAsync("/me", token)).StatusCode);
        }

        Assert.Equal(afterFirst, fastCount.Count);
        Assert.Equal(5, frameworkCount.Count);

        // Anyone else, or any other policy: evaluated by the framework, every time.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fast.GetAsync("/me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/admin", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/admin", token)).StatusCode);
        Assert.Equal(afterFirst + 3, fastCount.Count);
    }
}
